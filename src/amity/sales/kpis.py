"""Rep KPIs for a period: activities done, leads worked, win rate, average deal size,
sales cycle length, and conversion from each stage to the next.

Activities are counted from the event stream, as the activities area publishes them:
kinds call.logged, meeting.held, task.done and email.logged, each with the activity's
owner in payload["owner"]; an activity counts for its owner. A lead counts as worked by
a rep in the period when the rep changed its status (an "updated" event whose changes
name the status) or when it is the rep's and was last touched in the period. Every
record read goes through visible_to(user)."""

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max
from django.db.models.fields.json import KT
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from amity.core.access import grant_for
from amity.events.models import Event
from amity.org.models import User
from amity.sales.forecast_figures import Missing, owner_figures
from amity.sales.forecasts import visible_teams
from amity.sales.models import Lead, Opportunity, OpportunityStatus, Pipeline, StageChange
from amity.sales.models.pipelines import StageOutcome
from amity.sales.periods import Period
from amity.sales.quotas import OPPORTUNITY, reps_in_scope

ACTIVITY_KINDS = {
    "call.logged": _("Calls"),
    "meeting.held": _("Meetings"),
    "task.done": _("Tasks done"),
    "email.logged": _("Emails logged"),
}
WON, LOST = OpportunityStatus.WON, OpportunityStatus.LOST
TENTH = Decimal("0.1")


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(TENTH, rounding=ROUND_HALF_EVEN)


@dataclass
class RepKpis:
    """One rep's KPIs, or a group's (the totals row)."""

    rep_id: int | None
    name: str
    activities: Counter = field(default_factory=Counter)
    leads_worked: int = 0
    won_count: int = 0
    lost_count: int = 0
    won_amount: Decimal = Decimal("0.00")
    converted_won: int = 0  # won deals with an amount in a currency with a rate
    cycle_days: list[Decimal] = field(default_factory=list)

    @property
    def activities_total(self) -> int:
        return sum(self.activities.values())

    @property
    def win_rate(self) -> Decimal | None:
        """Won as a percentage of closed (won + lost)."""
        return percent(self.won_count, self.won_count + self.lost_count)

    @property
    def average_deal(self) -> Decimal | None:
        if not self.converted_won:
            return None
        return (self.won_amount / self.converted_won).quantize(Decimal("0.01"),
                                                              rounding=ROUND_HALF_EVEN)

    @property
    def cycle_median(self) -> Decimal | None:
        return _tenth(statistics.median(self.cycle_days)) if self.cycle_days else None

    @property
    def cycle_average(self) -> Decimal | None:
        return _tenth(statistics.fmean(self.cycle_days)) if self.cycle_days else None

    def add(self, other: "RepKpis") -> None:
        self.activities.update(other.activities)
        for name in ("leads_worked", "won_count", "lost_count", "won_amount", "converted_won"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.cycle_days.extend(other.cycle_days)


def _tenth(value) -> Decimal:
    return Decimal(str(value)).quantize(TENTH, rounding=ROUND_HALF_EVEN)


@dataclass
class StageConversion:
    stage: str
    entered: int
    advanced: int

    @property
    def rate(self) -> Decimal | None:
        return percent(self.advanced, self.entered)


@dataclass
class Kpis:
    period: Period
    reps: list[RepKpis]
    total: RepKpis
    pipeline: Pipeline | None
    conversions: list[StageConversion]
    missing: list[Missing]


def rep_kpis(*, user: User, period: Period, reps: list[User],
             pipeline: Pipeline | None = None) -> Kpis:
    """The KPIs of `reps` (whom the caller checked `user` may look at) for `period`."""
    ids = [rep.pk for rep in reps]
    rows = {rep.pk: RepKpis(rep.pk, str(rep)) for rep in reps}
    _count_activities(rows, ids, period)
    _count_leads_worked(rows, user, ids, period)
    opportunities = Opportunity.objects.visible_to(user).filter(owner_id__in=ids)
    missing = _count_deals(rows, opportunities, period)
    total = RepKpis(None, str(_("All")))
    for row in rows.values():
        total.add(row)
    pipeline = pipeline or Pipeline.objects.filter(is_default=True).first()
    conversions = stage_conversions(opportunities, pipeline, period) if pipeline else []
    return Kpis(period, list(rows.values()), total, pipeline, conversions, missing)


def _count_activities(rows: dict[int, RepKpis], ids: list[int], period: Period) -> None:
    start, end = period.bounds()
    events = (Event.objects.filter(kind__in=ACTIVITY_KINDS, occurred_at__gte=start,
                                   occurred_at__lt=end, payload__owner__in=ids)
              .values("kind", owner=KT("payload__owner")).annotate(n=Count("id")).order_by())
    for event in events:
        row = rows.get(int(event["owner"]))
        if row is not None:
            row.activities[event["kind"]] += event["n"]


def _count_leads_worked(rows: dict[int, RepKpis], user: User, ids: list[int],
                        period: Period) -> None:
    start, end = period.bounds()
    leads = Lead.objects.visible_to(user)
    status_changes = Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(Lead), kind="updated",
        occurred_at__gte=start, occurred_at__lt=end, actor_id__in=ids,
        payload__changes__has_key="status", subject_id__in=leads.values("pk"),
    ).values_list("actor_id", "subject_id").distinct()
    touched = leads.filter(owner_id__in=ids, touched_at__gte=start, touched_at__lt=end
                           ).values_list("owner_id", "pk")
    worked: dict[int, set[int]] = defaultdict(set)
    for rep, lead in (*status_changes, *touched):
        worked[rep].add(lead)
    for rep, lead_ids in worked.items():
        rows[rep].leads_worked = len(lead_ids)


def _count_deals(rows: dict[int, RepKpis], opportunities, period: Period) -> list[Missing]:
    start, end = period.bounds()
    closed = opportunities.filter(status__in=(WON, LOST), closed_at__gte=start,
                                  closed_at__lt=end)
    for owner, status, n in closed.values_list("owner_id", "status").annotate(
            n=Count("id")).order_by():
        setattr(rows[owner], "won_count" if status == WON else "lost_count", n)
    for owner, created, closed_at in closed.filter(status=WON).values_list(
            "owner_id", "created_at", "closed_at"):
        rows[owner].cycle_days.append(max(days_between(created, closed_at), Decimal(0)))
    figures = owner_figures(opportunities.filter(status=WON), period)
    for owner, own in figures.by_owner.items():
        rows[owner].won_amount, rows[owner].converted_won = own.won, own.won_count
    return sorted(figures.missing.values(), key=lambda m: m.currency)


def stage_conversions(opportunities, pipeline: Pipeline, period: Period,
                      ) -> list[StageConversion]:
    """For each open stage of `pipeline`: how many of the opportunities that entered it
    in `period` went on to a later open stage or were won. Reads only the history of the
    opportunities that moved in the period: three grouped queries."""
    stages = list(pipeline.stages.filter(outcome=StageOutcome.OPEN).order_by("position"))
    start, end = period.bounds()
    moves = StageChange.objects.filter(
        opportunity__in=opportunities.filter(pipeline=pipeline).values("pk"),
        to_stage__in=stages)
    moved_in_period = moves.filter(changed_at__gte=start, changed_at__lt=end)
    entered: dict[int, set[int]] = defaultdict(set)
    for opp, stage in moved_in_period.values_list("opportunity_id", "to_stage_id").distinct():
        entered[stage].add(opp)
    movers = moved_in_period.values("opportunity_id")
    furthest = dict(moves.filter(opportunity_id__in=movers).values("opportunity_id")
                    .annotate(top=Max("to_stage__position")).values_list("opportunity_id", "top"))
    won = set(opportunities.filter(pk__in=movers, status=WON).values_list("pk", flat=True))
    return [StageConversion(
        s.name, len(entered[s.pk]),
        sum(1 for o in entered[s.pk] if o in won or furthest.get(o, 0) > s.position))
        for s in stages]


def days_between(start: dt.datetime, end: dt.datetime) -> Decimal:
    """Days from `start` to `end`, to the second, in Decimal."""
    delta = end - start
    return Decimal(delta.days * 86400 + delta.seconds) / 86400


def kpi_reps(*, user: User, team_id: int | None = None, rep_id: int | None = None,
             ) -> list[User]:
    """The reps a KPI view covers: one rep, a team's members (its sub-teams too), or all
    whom `user` may look at. An id outside the user's reach answers 404."""
    reps = reps_in_scope(user).select_related("team")
    if rep_id is not None:
        return [get_object_or_404(reps, pk=rep_id)]
    if team_id is not None:
        teams = {t.pk: t.parent_id for t in visible_teams(user)}
        if team_id not in teams:
            raise Http404
        below = {t for t in teams if _under(t, team_id, teams)}
        reps = reps.filter(team_id__in=below)
    elif grant_for(user, OPPORTUNITY).view_scope != "own":
        reps = reps.filter(team__isnull=False)
    return list(reps.order_by("first_name", "last_name", "username"))


def _under(team: int | None, ancestor: int, parents: dict[int, int | None]) -> bool:
    seen = set()
    while team is not None and team not in seen:
        if team == ancestor:
            return True
        seen.add(team)
        team = parents.get(team)
    return False
