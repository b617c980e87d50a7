"""Admin pages for custom fields: the fields of each kind of record, create, edit, and
archive or bring back (administrators only, like the other admin pages)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amity.core.custom_field_forms import CustomFieldForm
from amity.core.custom_fields import CustomField, custom_field_save, custom_kinds
from amity.org.views import admin_required


@admin_required
def custom_field_list(request):
    fields = CustomField.objects.all()
    groups = [{"kind": kind, "fields": [f for f in fields if f.record_kind == kind.key]}
              for kind in custom_kinds()]
    return render(request, "org/custom_fields.html",
                  {"groups": groups, "title": _("Custom fields")})


@admin_required
def custom_field_edit(request, pk=None):
    field = get_object_or_404(CustomField, pk=pk) if pk else CustomField()
    initial = {"record_kind": request.GET.get("kind")} if not pk else None
    form = CustomFieldForm(request.POST or None, instance=field, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        try:
            custom_field_save(actor=request.user, field=field, data=data)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                target = "choices_text" if name == "choices" else name
                form.add_error(target if target in form.fields else None, errors)
        else:
            messages.success(request, _("%(field)s was saved.") % {"field": field})
            return redirect("custom_field_list")
    title = field.label if pk else _("New custom field")
    return render(request, "org/form.html", {"form": form, "title": title},
                  status=422 if form.errors else 200)


@admin_required
@require_POST
def custom_field_archive(request, pk):
    """Archive (hide) or bring back a field; answers its refreshed row to HTMX."""
    field = get_object_or_404(CustomField, pk=pk)
    custom_field_save(actor=request.user, field=field,
                      data={"archived": request.POST.get("archived") == "1"})
    if request.htmx:
        return render(request, "org/_custom_field_row.html", {"field": field})
    return redirect("custom_field_list")


urlpatterns = [
    path("admin/custom-fields/", custom_field_list, name="custom_field_list"),
    path("admin/custom-fields/new/", custom_field_edit, name="custom_field_create"),
    path("admin/custom-fields/<int:pk>/", custom_field_edit, name="custom_field_edit"),
    path("admin/custom-fields/<int:pk>/archive/", custom_field_archive,
         name="custom_field_archive"),
]
