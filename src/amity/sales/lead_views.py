"""The lead pages: list, record page, create/edit/delete (generic), and the qualification
panel, conversion and import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from amity.sales import lead_import_views, lead_public_views, lead_setup_views
from amity.sales.lead_conversion import (
    conversion_candidates,
    default_opportunity_name,
    lead_convert,
)
from amity.sales.lead_filters import LeadFilter
from amity.sales.lead_forms import ConvertForm, LeadRecordForm, StatusForm
from amity.sales.lead_selectors import likely_duplicate_leads
from amity.sales.lead_services import lead_check, lead_set_status
from amity.sales.lead_tables import LeadTable
from amity.sales.models import Lead, LeadStatus
from amity.web.records import RecordUI, record_urls

LEADS = RecordUI(
    model=Lead, form=LeadRecordForm, table=LeadTable, filterset=LeadFilter,
    sorts={"updated_at": "updated_at", "name": "family_name", "score": "score"},
    panels=("sales/leads/_qualification.html", "sales/leads/_score.html",
            "activities/_open_activities.html"),
    likely_duplicates=likely_duplicate_leads,
    create_actions=((gettext_lazy("Import"), "lead_import"),),
)


def _panel(request, lead: Lead, *, status_form=None, errors=(), status: int = 200):
    lead = Lead.objects.visible_to(request.user).get(pk=lead.pk)
    return render(request, "sales/leads/_qualification.html",
                  {"record": lead, "can_edit": True, "status_form": status_form,
                   "panel_errors": errors}, status=status)


@login_required
@require_POST
def lead_status(request, pk: int):
    """Move the lead along the flow; answers the refreshed qualification panel."""
    lead = get_object_or_404(Lead.objects.editable_by(request.user), pk=pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            lead_set_status(lead=lead, user=request.user, status=form.cleaned_data["status"],
                            reason=form.cleaned_data["disqualified_reason"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    if form.errors:
        return _panel(request, lead, status_form=form, status=422)
    response = _panel(request, lead)
    response["HX-Trigger"] = "record-changed"
    return response


@login_required
@require_POST
def lead_checklist(request, pk: int, key: str):
    lead = get_object_or_404(Lead.objects.editable_by(request.user), pk=pk)
    try:
        lead_check(lead=lead, user=request.user, key=key, checked=request.POST.get("checked")
                   == "1")
    except ValidationError as exc:
        return _panel(request, lead, errors=exc.messages, status=422)
    response = _panel(request, lead)
    response["HX-Trigger"] = "record-changed"
    return response


@login_required
def lead_convert_view(request, pk: int):
    """The conversion page: likely duplicates to attach to, then one step."""
    lead = get_object_or_404(Lead.objects.editable_by(request.user), pk=pk)
    candidates = conversion_candidates(lead=lead, user=request.user)
    form = ConvertForm(request.POST or None, user=request.user, candidates=candidates,
                       initial={"opportunity_name": default_opportunity_name(lead)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = lead_convert(lead=lead, user=request.user, account=data["account"],
                                contact=data["contact"],
                                create_opportunity=data["create_opportunity"],
                                opportunity_name=data["opportunity_name"] or None)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("%(lead)s was converted.") % {"lead": done.lead})
            return redirect(done.contact)
    return render(request, "sales/leads/convert.html",
                  {"record": lead, "form": form, "candidates": candidates,
                   "qualified": lead.status == LeadStatus.QUALIFIED,
                   "title": _("Convert %(lead)s") % {"lead": lead}},
                  status=422 if form.errors else 200)


urlpatterns = [
    *lead_public_views.urlpatterns,
    *lead_setup_views.urlpatterns,
    *lead_import_views.urlpatterns,
    *record_urls(LEADS, "leads"),
    path("leads/<int:pk>/status/", lead_status, name="lead_status"),
    path("leads/<int:pk>/checklist/<slug:key>/", lead_checklist, name="lead_checklist"),
    path("leads/<int:pk>/convert/", lead_convert_view, name="lead_convert"),
]
