"""Admin pages: web-to-lead forms (with their embed snippet) and the checklist items."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from amity.org.views import admin_required
from amity.sales.lead_forms import LeadFormForm, QualificationItemForm
from amity.sales.lead_setup import embed_snippet, lead_form_save, qualification_item_save
from amity.sales.models import LeadForm, QualificationItem


def _attach(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@admin_required
def lead_form_list(request):
    return render(request, "sales/leads/form_list.html",
                  {"lead_forms": LeadForm.objects.select_related("owner"),
                   "title": _("Lead forms")})


@admin_required
def lead_form_edit(request, pk=None):
    lead_form = get_object_or_404(LeadForm, pk=pk) if pk else LeadForm()
    form = LeadFormForm(request.POST or None, instance=lead_form)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in LeadFormForm._meta.fields}
        try:
            lead_form = lead_form_save(actor=request.user, lead_form=lead_form, data=data)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("%(form)s was saved.") % {"form": lead_form})
            return redirect("lead_form_edit", pk=lead_form.pk)
    snippet = embed_snippet(lead_form, base_url=request.build_absolute_uri("/")) \
        if lead_form.pk else ""
    return render(request, "sales/leads/form_edit.html",
                  {"form": form, "lead_form": lead_form, "snippet": snippet,
                   "title": lead_form.name if pk else _("New lead form")},
                  status=422 if form.errors else 200)


@admin_required
def checklist_edit(request, pk=None):
    """The checklist items, and a form to add one (or change the one picked)."""
    item = get_object_or_404(QualificationItem, pk=pk) if pk else QualificationItem()
    form = QualificationItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            qualification_item_save(actor=request.user, item=item, data=form.cleaned_data)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("%(item)s was saved.") % {"item": item})
            return redirect("lead_checklist_items")
    return render(request, "sales/leads/checklist_items.html",
                  {"form": form, "item": item, "items": QualificationItem.objects.all(),
                   "title": _("Qualification checklist")},
                  status=422 if form.errors else 200)


urlpatterns = [
    path("admin/lead-forms/", lead_form_list, name="lead_form_list"),
    path("admin/lead-forms/new/", lead_form_edit, name="lead_form_create"),
    path("admin/lead-forms/<int:pk>/", lead_form_edit, name="lead_form_edit"),
    path("admin/lead-checklist/", checklist_edit, name="lead_checklist_items"),
    path("admin/lead-checklist/<int:pk>/", checklist_edit, name="lead_checklist_item_edit"),
]
