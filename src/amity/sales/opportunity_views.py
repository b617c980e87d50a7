"""Opportunity pages: the generic list and record pages, with create and edit through
the opportunity services, and the stage path's move, close and reopen."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amity.core.access import grant_for
from amity.core.services import StaleRecord
from amity.sales import board_views
from amity.sales import opportunity_services as services
from amity.sales.models import Opportunity, Stage
from amity.sales.opportunity_filters import OpportunityFilter
from amity.sales.opportunity_forms import CloseForm, OpportunityForm
from amity.sales.opportunity_tables import OpportunityTable
from amity.web.records import RecordUI, VersionForm, _attach_errors, _facts, record_urls

OPPORTUNITIES = RecordUI(
    model=Opportunity, form=OpportunityForm, table=OpportunityTable, filterset=OpportunityFilter,
    # Keyset pages need non-null sort fields: amount and close date may be empty.
    sorts={"name": "name", "updated_at": "updated_at"},
    related=("account", "stage"),
    panels=("sales/opportunities/_stage_path.html", "sales/catalog/_opportunity_lines.html",
            "activities/_open_activities.html", "sales/opportunities/_stage_history.html"),
)


def _form(request: HttpRequest, *args, **kwargs) -> OpportunityForm:
    return OpportunityForm(*args, user=request.user, **kwargs)


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not grant_for(request.user, Opportunity.kind_key()).can_create:
        raise PermissionDenied
    initial = {k: request.GET[k] for k in ("account", "contact") if request.GET.get(k)}
    form = _form(request, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v is not None or k != "probability"}
        try:
            record = services.opportunity_create(user=request.user, data=data)
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, _("%(record)s was created.") % {"record": record})
            return redirect(record)
    return render(request, "records/form.html",
                  {"ui": OPPORTUNITIES, "form": form, "title": _("New opportunity")},
                  status=422 if form.errors else 200)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Inline edit of the facts, as the generic record page does it, through the service."""
    record = get_object_or_404(Opportunity.objects.editable_by(request.user), pk=pk)
    context = {"ui": OPPORTUNITIES, "record": record}
    if request.method != "POST":
        return render(request, "records/_facts_form.html", {
            **context, "form": _form(request, instance=record),
            "version_form": VersionForm(initial={"version": record.version})})
    version = VersionForm(request.POST)
    version.is_valid()
    fresh = Opportunity.objects.editable_by(request.user).get(pk=pk)
    form = _form(request, request.POST, instance=fresh)
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            record = services.opportunity_update(opportunity=record, user=request.user,
                                                 data=data,
                                                 version=version.cleaned_data.get("version"))
        except StaleRecord:
            form.add_error(None, _("Someone else changed this record while you were editing. "
                                   "Your changes are below and were not saved; reload to see "
                                   "theirs."))
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            response = render(request, "records/_facts.html", {
                **context, "record": record, "fields": _facts(OPPORTUNITIES, record),
                "can_edit": True})
            response["HX-Trigger"] = "record-changed"
            return response
    return render(request, "records/_facts_form.html",
                  {**context, "form": form, "version_form": version}, status=422)


def _back(request: HttpRequest, record: Opportunity) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(record)


def _refused(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move to a stage from the stage path (a form) or the board (HTMX: answers the
    reason with 422 when refused, the fresh column heads when done)."""
    record = get_object_or_404(Opportunity.objects.visible_to(request.user), pk=pk)
    stage = Stage.objects.filter(pk=request.POST.get("stage") or 0).select_related(
        "pipeline").first()
    try:
        if stage is None:
            raise ValidationError({"stage": [_("Choose a stage of this pipeline.")]})
        source = record.stage_id
        record = services.opportunity_move(opportunity=record, stage=stage, user=request.user)
    except ValidationError as exc:
        if request.htmx:
            return board_views.status(request, _refused(exc), status=422)
        messages.error(request, _refused(exc))
        return _back(request, record)
    if request.htmx:
        return board_views.moved(request, record, source)
    messages.success(request, _("Moved to %(stage)s.") % {"stage": stage.name})
    return _back(request, record)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Opportunity.objects.visible_to(request.user), pk=pk)
    form = CloseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        source = record.stage_id
        record = services.opportunity_close(opportunity=record, user=request.user,
                                            **form.cleaned_data)
    except ValidationError as exc:
        if request.htmx:
            return board_views.status(request, _refused(exc), status=422)
        messages.error(request, _refused(exc))
        return _back(request, record)
    if request.htmx:
        return board_views.moved(request, record, source)
    messages.success(request, _("%(record)s was closed as %(status)s.")
                     % {"record": record, "status": record.get_status_display()})
    return _back(request, record)


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Opportunity.objects.visible_to(request.user), pk=pk)
    try:
        record = services.opportunity_reopen(opportunity=record, user=request.user)
    except ValidationError as exc:
        messages.error(request, _refused(exc))
    else:
        messages.success(request, _("%(record)s is open again.") % {"record": record})
    return _back(request, record)


urlpatterns = [
    # Before the generic pages, so these answer the same URLs.
    path("opportunities/new/", create, name="opportunity_create"),
    path("opportunities/<int:pk>/edit/", edit, name="opportunity_edit"),
    path("opportunities/<int:pk>/move/", move, name="opportunity_move"),
    path("opportunities/<int:pk>/close/", close, name="opportunity_close"),
    path("opportunities/<int:pk>/reopen/", reopen, name="opportunity_reopen"),
    *board_views.urlpatterns,
    *record_urls(OPPORTUNITIES, "opportunities"),
]
