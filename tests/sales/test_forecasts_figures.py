"""Forecast figures on a small data set worked out by hand (tests/sales/forecast_data.py)."""

import datetime as dt
from decimal import Decimal

import pytest

from amity.sales.forecasts import forecast
from amity.sales.periods import parse_period
from tests.sales.forecast_data import TODAY, make_forecast_data

D = Decimal
Q1 = parse_period("2026-Q1")


@pytest.fixture
def data(org, settings):
    settings.AMITY_CURRENCY = "USD"
    return make_forecast_data(org)


def figures_of(tree, kind, id):
    node = tree.find(kind, id)
    assert node is not None, f"{kind} {id} is not in the tree"
    return node.figures


def test_a_reps_figures_convert_at_the_rate_of_the_close_date_or_today(org, data):
    tree = forecast(user=org.manager, period=Q1, today=TODAY)
    mine = figures_of(tree, "rep", org.owner.pk)
    # won: 100,000 THB × 0.03 (d); open: a 1,000 USD commit, b 1,000 EUR best case at the
    # 10 Feb rate 1.10, c 500 EUR due 30 Mar at today's rate 1.20.
    assert mine.won == D("3000.00")
    assert mine.committed == D("4000.00")  # commit a + won d
    assert mine.best_case == D("5100.00")  # + best case b
    assert mine.pipeline == D("2700.00")  # a + b + c; e is in Q2, f was lost
    assert mine.weighted == D("780.00")  # 500 + 20% of 1,100 + 10% of 600
    assert mine.quota == D("6000.00")  # three month quotas of 2,000
    assert mine.attainment == D("50.0")


def test_an_opportunity_without_a_rate_is_reported_not_guessed(org, data):
    tree = forecast(user=org.manager, period=Q1, today=TODAY)
    [missing] = tree.missing
    assert (missing.currency, missing.count, missing.amount) == ("JPY", 1, D("50000"))
    assert missing.earliest == TODAY  # due 1 Mar, still ahead: today's rate was wanted


def test_a_quarter_quota_wins_over_its_months_and_teams_add_up(org, data):
    tree = forecast(user=org.manager, period=Q1, today=TODAY)
    teammate = figures_of(tree, "rep", org.teammate.pk)
    assert teammate.quota == D("10000.00")
    assert teammate.won == D("1200.00")  # 1,000 EUR won on 16 Feb at 1.20
    assert teammate.committed == D("8200.00")  # h + i commits + won j
    east, west = figures_of(tree, "team", org.east.pk), figures_of(tree, "team", org.west.pk)
    assert (east.won, east.pipeline, east.weighted) == (D("4200.00"), D("9700.00"),
                                                        D("4280.00"))
    assert (east.committed, east.best_case) == (D("12200.00"), D("13300.00"))
    assert (east.quota, east.attainment) == (D("16000.00"), D("26.2"))
    assert (west.best_case, west.pipeline, west.quota, west.attainment) == (
        D("4000.00"), D("4000.00"), D("8000.00"), D("0.0"))
    sales = tree.roots[-1]
    assert sales.name == "Sales" and [c.name for c in sales.children][-2:] == ["East", "West"]
    assert (sales.figures.won, sales.figures.pipeline, sales.figures.best_case) == (
        D("4200.00"), D("13700.00"), D("17300.00"))
    assert sales.figures.quota == D("24000.00")


def test_a_rep_sees_only_what_their_grant_shows(org, data):
    tree = forecast(user=org.owner, period=Q1, today=TODAY)
    assert [node.name for node in tree.roots] == ["East"]
    assert tree.find("rep", org.outsider.pk) is None
    assert tree.find("team", org.west.pk) is None
    teammate = figures_of(tree, "rep", org.teammate.pk)
    # The teammate's 5,000 commit is not shared with the team: the rep does not see it.
    assert teammate.committed == D("3200.00")  # h 2,000 + won j 1,200
    assert figures_of(tree, "team", org.east.pk).pipeline == D("4700.00")


def test_the_month_of_the_close_date_decides(org, data):
    february = forecast(user=org.manager, period=parse_period("2026-02"), today=TODAY)
    mine = figures_of(february, "rep", org.owner.pk)
    assert (mine.won, mine.pipeline, mine.best_case) == (D("3000.00"), D("1100.00"),
                                                         D("4100.00"))
    assert mine.quota == D("2000.00") and mine.attainment == D("150.0")


def test_an_empty_period_has_zero_figures_and_no_crash(org, data):
    tree = forecast(user=org.manager, period=parse_period("2030-Q4"),
                    today=dt.date(2026, 2, 20))
    sales = tree.roots[-1]
    assert (sales.figures.pipeline, sales.figures.won, sales.figures.quota) == (
        D("0.00"), D("0.00"), None)
    assert sales.figures.attainment is None and tree.missing == []


def test_the_roll_up_costs_the_same_queries_for_more_reps(org, data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_user
    from tests.sales.forecast_data import make_pipeline, opportunity

    def queries() -> int:
        manager = type(org.manager).objects.get(pk=org.manager.pk)  # no cached grants
        with CaptureQueriesContext(connection) as captured:
            forecast(user=manager, period=Q1, today=TODAY)
        return len(captured)

    before = queries()
    pipe = make_pipeline("Renewals")
    for i in range(12):
        rep = make_user(f"rep{i}", "sales_rep", org.west if i % 2 else org.east)
        opportunity(pipe, rep, "100", ("USD", "EUR", "THB")[i % 3], close="2026-02-02")
    assert queries() == before
