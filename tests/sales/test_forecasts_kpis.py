"""Rep KPI formulas on known data: activities from the event stream, leads worked, win
rate, average deal size, sales cycle length and stage conversion."""

import datetime as dt
from decimal import Decimal

import pytest

from amity.events.services import publish
from amity.sales.kpis import rep_kpis
from amity.sales.models import Lead, StageChange
from amity.sales.periods import parse_period
from tests.sales.forecast_data import at, make_pipeline, make_rates, opportunity

D = Decimal
Q1 = parse_period("2026-Q1")


@pytest.fixture
def pipe(org, settings):
    settings.AMITY_CURRENCY = "USD"
    make_rates()
    return make_pipeline()


def activity(owner, kind: str, day: str, actor=None):
    lead = Lead.objects.create(family_name="Subject", owner=owner)
    publish(subject=lead, kind=kind, actor=actor or owner, payload={"owner": owner.pk},
            occurred_at=at(day))


def test_activities_done_count_by_type_for_their_owner_in_the_period(org, pipe):
    for kind in ("call.logged", "call.logged", "meeting.held", "task.done", "email.logged"):
        activity(org.owner, kind, "2026-02-03")
    activity(org.owner, "task.done", "2026-02-03", actor=org.manager)  # done for the owner
    activity(org.owner, "call.logged", "2026-04-01")  # next quarter
    activity(org.owner, "created", "2026-02-03")  # not an activity
    activity(org.teammate, "meeting.held", "2026-01-09")
    kpis = rep_kpis(user=org.manager, period=Q1, reps=[org.owner, org.teammate])
    mine, theirs = kpis.reps
    assert dict(mine.activities) == {"call.logged": 2, "meeting.held": 1, "task.done": 2,
                                     "email.logged": 1}
    assert mine.activities_total == 6 and theirs.activities_total == 1
    assert kpis.total.activities_total == 7


def test_leads_worked_are_status_changes_by_the_rep_or_leads_touched(org, pipe):
    # A person's edit touches a lead (routing_events.mark_worked), so "Renamed" counts.
    moved = Lead.objects.create(family_name="Moved", owner=org.teammate, team=org.east)
    publish(subject=moved, kind="updated", actor=org.owner, occurred_at=at("2026-02-02"),
            payload={"changes": {"status": {"old": "New", "new": "Working"}}})
    publish(subject=moved, kind="updated", actor=org.owner, occurred_at=at("2026-02-05"),
            payload={"changes": {"status": {"old": "Working", "new": "Qualified"}}})
    renamed = Lead.objects.create(family_name="Renamed", owner=org.owner)
    publish(subject=renamed, kind="updated", actor=org.owner, occurred_at=at("2026-02-02"),
            payload={"changes": {"company": {"old": None, "new": "ACME"}}})
    Lead.objects.create(family_name="Touched", owner=org.owner, touched_at=at("2026-03-03"))
    Lead.objects.create(family_name="Old", owner=org.owner, touched_at=at("2025-12-30"))
    [mine] = rep_kpis(user=org.manager, period=Q1, reps=[org.owner]).reps
    # "Moved" (twice, one lead), "Renamed" and "Touched"; not "Old" (last year).
    assert mine.leads_worked == 3


def test_win_rate_average_deal_and_cycle_length(org, pipe):
    for amount, currency, created, closed in (("1000", "USD", "2026-01-01", "2026-01-11"),
                                              ("3000", "USD", "2026-01-01", "2026-01-31"),
                                              ("100000", "THB", "2025-12-01", "2026-02-01")):
        opportunity(pipe, org.owner, amount, currency, status="won", category="closed",
                    created=created, closed=closed)
    opportunity(pipe, org.owner, "500", "USD", status="lost", category="closed",
                closed="2026-03-01")
    opportunity(pipe, org.owner, "900", "USD", status="won", category="closed",
                closed="2026-04-02")  # next quarter
    opportunity(pipe, org.owner, "800", "USD", close="2026-03-01")  # open
    [mine] = rep_kpis(user=org.manager, period=Q1, reps=[org.owner]).reps
    assert (mine.won_count, mine.lost_count, mine.win_rate) == (3, 1, D("75.0"))
    # 1,000 + 3,000 + 100,000 THB × 0.03 = 7,000 over three deals
    assert mine.average_deal == D("2333.33")
    assert (mine.cycle_median, mine.cycle_average) == (D("30.0"), D("34.0"))  # 10, 30, 62 days


def test_conversion_per_stage_counts_those_that_went_on_or_were_won(org, pipe):
    def moved(opp, *steps):
        for stage, day in steps:
            StageChange.objects.create(opportunity=opp, to_stage=stage, changed_at=at(day))

    went_on = opportunity(pipe, org.owner, "10", "USD")
    moved(went_on, (pipe.prospect, "2026-01-05"), (pipe.proposal, "2026-01-20"))
    stuck = opportunity(pipe, org.owner, "10", "USD")
    moved(stuck, (pipe.prospect, "2026-01-06"))
    won = opportunity(pipe, org.owner, "10", "USD", status="won", closed="2026-02-01")
    moved(won, (pipe.prospect, "2026-01-07"), (pipe.won, "2026-02-01"))
    lost = opportunity(pipe, org.owner, "10", "USD", status="lost", closed="2026-02-01")
    moved(lost, (pipe.proposal, "2026-01-08"), (pipe.lost, "2026-02-01"))
    earlier = opportunity(pipe, org.owner, "10", "USD")
    moved(earlier, (pipe.prospect, "2025-11-01"), (pipe.proposal, "2026-03-01"))
    hidden = opportunity(pipe, org.outsider, "10", "USD")
    moved(hidden, (pipe.prospect, "2026-01-05"))
    kpis = rep_kpis(user=org.manager, period=Q1, reps=[org.owner])
    prospect, proposal = kpis.conversions
    assert (prospect.stage, prospect.entered, prospect.advanced, prospect.rate) == (
        "Prospect", 3, 2, D("66.7"))
    assert (proposal.entered, proposal.advanced, proposal.rate) == (3, 0, D("0.0"))


def test_a_rep_gets_no_figures_from_records_they_may_not_see(org, pipe):
    opportunity(pipe, org.teammate, "5000", "USD", team=None, status="won",
                closed="2026-02-01")
    opportunity(pipe, org.teammate, "1000", "USD", status="won", closed="2026-02-01")
    [theirs] = rep_kpis(user=org.owner, period=Q1, reps=[org.teammate]).reps
    assert (theirs.won_count, theirs.won_amount) == (1, D("1000.00"))


def test_no_deals_means_no_rates_not_a_division_by_zero(org, pipe):
    [mine] = rep_kpis(user=org.owner, period=parse_period("2031-01"), reps=[org.owner]).reps
    assert (mine.win_rate, mine.average_deal, mine.cycle_median) == (None, None, None)
    assert dt.date(2031, 1, 31) == parse_period("2031-01").end
