"""Forecast, quota and rep KPI pages (Sales area). Thin: they read through the
selectors of sales.forecasts / sales.kpis and write through their services."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amity.core.access import grant_for
from amity.sales import forecast_snapshots, forecasts, quotas
from amity.sales.kpi_charts import kpi_charts
from amity.sales.kpis import ACTIVITY_KINDS, kpi_reps, rep_kpis
from amity.sales.models import Opportunity, Pipeline
from amity.sales.periods import MONTH, QUARTER, Period, current_period, parse_period
from amity.sales.quota_views import quota_page

DRILL_TEMPLATE = "sales/forecasts/_drilldown.html"


def _require_sales(user) -> None:
    """Forecast pages exist for users who may see opportunities; others get a 404."""
    if grant_for(user, quotas.OPPORTUNITY).view_scope == "none":
        raise Http404


def _period(request: HttpRequest) -> tuple[Period, str | None]:
    """The period asked for, or the current quarter with the reason the ask failed."""
    text = request.GET.get("period", "")
    if not text:
        return current_period(QUARTER), None
    try:
        return parse_period(text), None
    except ValidationError as exc:
        return current_period(QUARTER), " ".join(exc.message_dict["period"])


def _period_links(period: Period) -> dict:
    other = current_period(MONTH if period.kind == QUARTER else QUARTER)
    return {"previous": period.previous(), "next": period.next(), "other_kind": other}


@login_required
def forecast_page(request: HttpRequest) -> HttpResponse:
    _require_sales(request.user)
    period, problem = _period(request)
    tree = forecasts.forecast(user=request.user, period=period)
    offered = forecast_snapshots.offered_snapshots()
    since = forecast_snapshots.chosen_snapshot(offered, request.GET.get("since", ""))
    if since is not None:
        forecasts.compare(tree, forecasts.forecast(user=request.user, period=period,
                                                   snapshot=since))
    return render(request, "sales/forecasts/forecast.html", {
        "title": _("Forecast"), "forecast": tree, "period": period, "problem": problem,
        "sets_quotas": bool(quotas.quota_reps(request.user)), "snapshots": offered,
        "since": since, **_period_links(period)})


@login_required
def drilldown_page(request: HttpRequest) -> HttpResponse:
    _require_sales(request.user)
    period, _problem = _period(request)
    node, records = forecasts.drilldown(user=request.user, period=period,
                                        node_key=request.GET.get("node", ""))
    shown = list(records[:forecasts.DRILL_DOWN_LIMIT + 1])
    editable = set(Opportunity.objects.editable_by(request.user).filter(
        pk__in=[o.pk for o in shown]).values_list("pk", flat=True))
    template = DRILL_TEMPLATE if request.htmx else "sales/forecasts/drilldown.html"
    return render(request, template, {
        "title": _("Forecast: %(name)s") % {"name": node.name}, "node": node,
        "period": period, "records": shown[:forecasts.DRILL_DOWN_LIMIT],
        "more": len(shown) > forecasts.DRILL_DOWN_LIMIT, "editable": editable,
        "choices": forecasts.category_choices(), "back": request.get_full_path()})


@login_required
@require_POST
def category_set(request: HttpRequest, pk: int) -> HttpResponse:
    """Set an opportunity's forecast category from the drill-down list; answers its row."""
    record = get_object_or_404(Opportunity.objects.visible_to(request.user), pk=pk)
    error, status = None, 200
    try:
        record = forecasts.forecast_category_set(
            user=request.user, opportunity=record,
            category=request.POST.get("forecast_category", ""))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        error, status = " ".join(exc.messages), 422
        record.refresh_from_db()
    response = render(request, "sales/forecasts/_drill_row.html", {
        "record": record, "editable": {record.pk}, "choices": forecasts.category_choices(),
        "error": error}, status=status)
    if not request.htmx and status == 200:
        # The form posted without scripts: back to the list it came from.
        back = request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(back, {request.get_host()})
        return redirect(back if safe and back.startswith("/") else reverse("forecast"))
    if status == 200:
        response["HX-Trigger"] = "forecast-changed"
    return response


@login_required
def kpi_page(request: HttpRequest) -> HttpResponse:
    _require_sales(request.user)
    period, problem = _period(request)
    team_id, rep_id = _int_param(request, "team"), _int_param(request, "rep")
    reps = kpi_reps(user=request.user, team_id=team_id, rep_id=rep_id)
    pipelines = list(Pipeline.objects.filter(archived=False))
    pipeline_id = _int_param(request, "pipeline")
    pipeline = next((p for p in pipelines if p.pk == pipeline_id), None)
    kpis = rep_kpis(user=request.user, period=period, reps=reps, pipeline=pipeline)
    return render(request, "sales/forecasts/kpis.html", {
        "title": _("Rep KPIs"), "kpis": kpis, "period": period, "problem": problem,
        "charts": kpi_charts(kpis), "kinds": ACTIVITY_KINDS,
        "teams": forecasts.visible_teams(request.user), "team_id": team_id, "rep_id": rep_id,
        "rep_choices": kpi_reps(user=request.user),
        "pipelines": pipelines, **_period_links(period)})


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)

urlpatterns = [
    path("sales/forecast/", forecast_page, name="forecast"),
    path("sales/forecast/opportunities/", drilldown_page, name="forecast_drilldown"),
    path("sales/forecast/opportunities/<int:pk>/category/", category_set,
         name="forecast_category"),
    path("sales/quotas/", quota_page, name="quota_grid"),
    path("sales/kpis/", kpi_page, name="rep_kpis"),
]
