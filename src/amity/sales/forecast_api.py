"""API for forecasts, quotas and rep KPIs: the same selectors and services as the pages.

Money is a decimal string in the organisation's currency (see `currency`)."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import BeforeValidator

from amity.api.crud import StrictSchema
from amity.api.errors import COMMON_ERRORS
from amity.core.access import grant_for
from amity.org.models import User
from amity.sales import forecast_snapshots, forecasts, quotas
from amity.sales.forecast_figures import Figures, Missing
from amity.sales.kpis import ACTIVITY_KINDS, RepKpis, kpi_reps, rep_kpis
from amity.sales.models import ForecastSnapshot, Opportunity, Pipeline, Quota
from amity.sales.periods import FIRST_YEAR, LAST_YEAR, Period, parse_period

forecasts_router = Router(tags=["forecasts"])
quotas_router = Router(tags=["quotas"])
kpis_router = Router(tags=["rep KPIs"])


def _require_sales(user) -> None:
    if grant_for(user, quotas.OPPORTUNITY).view_scope == "none":
        raise Http404


class FiguresOut(Schema):
    committed: Decimal
    best_case: Decimal
    pipeline: Decimal
    weighted: Decimal
    won: Decimal
    quota: Decimal | None
    attainment: Decimal | None = Field(description="Closed won as a percentage of the quota")
    open_count: int
    won_count: int


def _figures(f: Figures) -> dict:
    return {"committed": f.committed, "best_case": f.best_case, "pipeline": f.pipeline,
            "weighted": f.weighted, "won": f.won, "quota": f.quota,
            "attainment": f.attainment, "open_count": f.open_count, "won_count": f.won_count}


class NodeOut(Schema):
    node: str = Field(description='"team-<id>" or "rep-<id>"; drill down with it')
    kind: str
    id: int
    name: str
    figures: FiguresOut
    previous: FiguresOut | None = Field(
        None, description="The node's figures in the snapshot asked for by `since`")
    children: list["NodeOut"]


NodeOut.model_rebuild()


class MissingOut(Schema):
    currency: str
    count: int
    earliest: dt.date | None
    amount: Decimal = Field(description="In the opportunities' own currency")


class ForecastOut(Schema):
    period: str
    start: dt.date
    end: dt.date
    since: dt.date | None = Field(description="The day of the snapshot compared, if any")
    currency: str
    teams: list[NodeOut]
    missing_rates: list[MissingOut]


def _node(node: forecasts.Node) -> dict:
    return {"node": node.key, "kind": node.kind, "id": node.id, "name": node.name,
            "figures": _figures(node.figures),
            "previous": _figures(node.previous) if node.previous else None,
            "children": [_node(c) for c in node.children]}


def _missing(missing: list[Missing]) -> list[dict]:
    return [{"currency": m.currency, "count": m.count, "earliest": m.earliest,
             "amount": m.amount} for m in missing]


@forecasts_router.get("/", response={200: ForecastOut, **COMMON_ERRORS},
                      summary="The forecast tree for a period", operation_id="forecast_read")
def forecast_read(request, period: str, since: str = ""):
    """Per team and rep, from the opportunities the caller may see. `period` is a month
    (2026-03) or a quarter (2026-Q1). `since`, the day of a weekly snapshot (see
    /forecasts/snapshots), adds each node's figures as they stood then (`previous`)."""
    _require_sales(request.auth)
    chosen = parse_period(period)
    tree = forecasts.forecast(user=request.auth, period=chosen)
    snapshot = _snapshot(since) if since else None
    if snapshot is not None:
        forecasts.compare(tree, forecasts.forecast(user=request.auth, period=chosen,
                                                   snapshot=snapshot))
    return {"period": chosen.key, "start": chosen.start, "end": chosen.end,
            "since": snapshot.taken_on if snapshot else None,
            "currency": tree.currency, "teams": [_node(n) for n in tree.roots],
            "missing_rates": _missing(tree.missing)}


def _snapshot(day: str) -> ForecastSnapshot:
    found = ForecastSnapshot.objects.filter(taken_on=_day(day)).first()
    if found is None:
        raise ValidationError({"since": [_("No forecast snapshot was taken on %(day)s; "
                                           "GET /forecasts/snapshots lists them.")
                                         % {"day": day[:10]}]})
    return found


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ValidationError({"since": [_("Give the day as YYYY-MM-DD.")]}) from None


class SnapshotOut(Schema):
    taken_on: dt.date
    taken_at: dt.datetime


@forecasts_router.get("/snapshots", response={200: list[SnapshotOut], **COMMON_ERRORS},
                      summary="The weekly forecast snapshots, newest first",
                      operation_id="forecast_snapshots")
def forecast_snapshots_list(request):
    _require_sales(request.auth)
    return forecast_snapshots.offered_snapshots()


class ForecastOpportunityOut(Schema):
    id: int
    name: str
    owner: int
    status: str
    amount: Decimal | None
    currency: str
    probability: Decimal
    close_date: dt.date | None
    closed_at: dt.datetime | None
    forecast_category: str

    @staticmethod
    def resolve_owner(obj) -> int:
        return obj.owner_id


@forecasts_router.get("/opportunities", response={200: list[ForecastOpportunityOut],
                                                  **COMMON_ERRORS},
                      summary="The opportunities behind a team's or rep's figures",
                      operation_id="forecast_opportunities")
def forecast_opportunities(request, period: str, node: str):
    _require_sales(request.auth)
    _node_found, records = forecasts.drilldown(user=request.auth, period=parse_period(period),
                                               node_key=node)
    return list(records[:forecasts.DRILL_DOWN_LIMIT])


class CategoryIn(StrictSchema):
    forecast_category: str = Field(max_length=20,
                                   description="pipeline, best_case, commit or omitted")


@forecasts_router.put("/opportunities/{int:pk}/category",
                      response={200: ForecastOpportunityOut, **COMMON_ERRORS},
                      summary="Set an open opportunity's forecast category",
                      operation_id="forecast_category_set")
def forecast_category_set(request, pk: int, payload: CategoryIn):
    record = get_object_or_404(Opportunity.objects.visible_to(request.auth), pk=pk)
    return forecasts.forecast_category_set(user=request.auth, opportunity=record,
                                           category=payload.forecast_category)


class QuotaOut(Schema):
    rep: int
    period: str
    amount: Decimal
    currency: str


def _quota(q: Quota) -> dict:
    return {"rep": q.rep_id, "period": Period(q.period_start, q.period_kind).key,
            "amount": q.amount, "currency": settings.AMITY_CURRENCY}


@quotas_router.get("/", response={200: list[QuotaOut], **COMMON_ERRORS},
                   summary="Quotas of a year", operation_id="quota_list")
def quota_list(request, year: int):
    """The month and quarter quotas of `year` for the reps the caller may look at."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({"year": [_("Give a year from %(first)s to %(last)s.")
                                        % {"first": FIRST_YEAR, "last": LAST_YEAR}]})
    reps = quotas.reps_in_scope(request.auth)
    rows = Quota.objects.filter(rep__in=reps, period_start__year=year).order_by(
        "rep_id", "period_start", "period_kind")
    return [_quota(q) for q in rows]


# A JSON number would reach us as a float and lose cents: amounts are decimal strings.
AmountText = Annotated[str | None, BeforeValidator(
    lambda v: v if v is None or isinstance(v, str) else _refuse_number(v))]


def _refuse_number(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ValueError("give the amount as a decimal string, e.g. \"50000.00\"")


class QuotaIn(StrictSchema):
    rep: int
    period: str = Field(max_length=10, description="2026-03 or 2026-Q1")
    amount: AmountText = Field(description="A decimal string; null removes the quota")


class QuotasIn(StrictSchema):
    quotas: list[QuotaIn] = Field(max_length=1000)


class SavedOut(Schema):
    changed: int


@quotas_router.put("/", response={200: SavedOut, **COMMON_ERRORS},
                   summary="Set several quotas at once (all or none)", operation_id="quota_set")
def quota_set(request, payload: QuotasIn):
    entries, errors = [], {}
    reps = {u.pk: u for u in User.objects.filter(pk__in={q.rep for q in payload.quotas})}
    for index, item in enumerate(payload.quotas):
        prefix = f"quotas.{index}"
        try:
            rep = reps.get(item.rep)
            if rep is None or not quotas.can_set_quota(request.auth, rep):
                raise ValidationError({f"{prefix}.rep": [_("You may not set this rep's quota.")]})
            period = parse_period(item.period, field=f"{prefix}.period")
            amount = quotas.clean_amount(item.amount, field=f"{prefix}.amount")
            entries.append(quotas.QuotaEntry(rep, period, amount))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return {"changed": quotas.quotas_save(user=request.auth, entries=entries)}


class RepKpisOut(Schema):
    rep: int | None
    name: str
    activities: dict[str, int] = Field(description="Done in the period, by kind")
    leads_worked: int
    won: int
    lost: int
    win_rate: Decimal | None
    average_deal: Decimal | None
    cycle_median_days: Decimal | None
    cycle_average_days: Decimal | None


class StageConversionOut(Schema):
    stage: str
    entered: int
    advanced: int
    rate: Decimal | None


class KpisOut(Schema):
    period: str
    currency: str
    reps: list[RepKpisOut]
    total: RepKpisOut
    pipeline: int | None
    conversions: list[StageConversionOut]
    missing_rates: list[MissingOut]


def _kpi_row(row: RepKpis) -> dict:
    return {"rep": row.rep_id, "name": row.name,
            "activities": {kind: row.activities[kind] for kind in ACTIVITY_KINDS},
            "leads_worked": row.leads_worked, "won": row.won_count, "lost": row.lost_count,
            "win_rate": row.win_rate, "average_deal": row.average_deal,
            "cycle_median_days": row.cycle_median, "cycle_average_days": row.cycle_average}


@kpis_router.get("/", response={200: KpisOut, **COMMON_ERRORS},
                 summary="Rep KPIs for a period", operation_id="rep_kpis")
def kpis_read(request, period: str, team: int | None = None, rep: int | None = None,
              pipeline: int | None = None):
    """One rep's, a team's (with sub-teams) or all the caller's reps' KPIs."""
    _require_sales(request.auth)
    chosen = parse_period(period)
    reps = kpi_reps(user=request.auth, team_id=team, rep_id=rep)
    pipe = get_object_or_404(Pipeline, pk=pipeline) if pipeline is not None else None
    kpis = rep_kpis(user=request.auth, period=chosen, reps=reps, pipeline=pipe)
    return {"period": chosen.key, "currency": settings.AMITY_CURRENCY,
            "reps": [_kpi_row(r) for r in kpis.reps], "total": _kpi_row(kpis.total),
            "pipeline": kpis.pipeline.pk if kpis.pipeline else None,
            "conversions": [{"stage": c.stage, "entered": c.entered, "advanced": c.advanced,
                             "rate": c.rate} for c in kpis.conversions],
            "missing_rates": _missing(kpis.missing)}
