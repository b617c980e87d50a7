"""Weekly forecast snapshots: what a snapshot keeps, that a snapshot read back is the
forecast as it stood (through today's access gate), and the page's "changes since"."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from amity.core.jobs import SCHEDULES
from amity.core.retention import prune_expired
from amity.sales.forecast_snapshots import take_snapshot
from amity.sales.forecasts import compare, forecast
from amity.sales.models import ForecastSnapshot, ForecastSnapshotLine, Opportunity
from amity.sales.periods import parse_period
from tests.conftest import signed_in
from tests.sales.forecast_data import TODAY, make_forecast_data, make_pipeline, opportunity

Q1 = parse_period("2026-Q1")


@pytest.fixture
def data(org, settings):
    settings.AMITY_CURRENCY = "USD"
    return make_forecast_data(org)


def figures(tree, kind: str, pk: int):
    return tree.find(kind, pk).figures


def test_a_snapshot_keeps_open_and_recently_won_opportunities_once_a_day(org, data):
    pipe = make_pipeline("Renewals")
    old_win = opportunity(pipe, org.owner, "10", "USD", status="won", closed="2024-01-01")
    unpriced = opportunity(pipe, org.owner, "10", "USD")
    Opportunity.objects.filter(pk=unpriced.pk).update(amount=None)
    binned = opportunity(pipe, org.owner, "10", "USD")
    binned.delete()
    snapshot = take_snapshot(today=TODAY)
    kept = set(snapshot.lines.values_list("opportunity_id", flat=True))
    assert kept == {o.pk for key, o in data.items() if key != "f"}  # not the lost one
    assert not kept & {old_win.pk, unpriced.pk, binned.pk}
    line = snapshot.lines.get(opportunity=data["b"])
    assert (line.amount, line.currency, line.forecast_category) == (
        Decimal("1000.00"), "EUR", "best_case")
    assert take_snapshot(today=TODAY) == snapshot  # a retried job adds nothing
    assert ForecastSnapshotLine.objects.count() == len(kept)


def test_a_snapshot_reads_back_as_the_forecast_stood_and_changes_are_the_difference(org, data):
    snapshot = take_snapshot(today=TODAY)
    before = forecast(user=org.manager, period=Q1, today=TODAY)
    # The week after: c is committed (500 EUR at 1.20), h won, a new deal for the teammate.
    Opportunity.objects.filter(pk=data["c"].pk).update(forecast_category="commit")
    Opportunity.objects.filter(pk=data["h"].pk).update(
        status="won", closed_at=dt.datetime(2026, 2, 19, tzinfo=dt.UTC))
    opportunity(make_pipeline("Renewals"), org.teammate, "300", "USD", close="2026-03-20")
    now = forecast(user=org.manager, period=Q1, today=TODAY)
    then = forecast(user=org.manager, period=Q1, snapshot=snapshot)
    for kind, pk in (("rep", org.owner.pk), ("rep", org.teammate.pk), ("team", org.east.pk)):
        assert figures(then, kind, pk) == figures(before, kind, pk)
    compare(now, then)
    owner, mate = now.find("rep", org.owner.pk), now.find("rep", org.teammate.pk)
    assert owner.figures.committed - owner.previous.committed == Decimal("600.00")
    assert owner.figures.pipeline == owner.previous.pipeline
    assert mate.figures.won - mate.previous.won == Decimal("2000.00")
    assert mate.figures.pipeline - mate.previous.pipeline == Decimal("-1700.00")
    east = now.find("team", org.east.pk)
    assert east.figures.pipeline - east.previous.pipeline == Decimal("-1700.00")


def test_a_rep_sees_in_a_snapshot_only_what_they_may_see_today(org, data):
    snapshot = take_snapshot(today=TODAY)
    then = forecast(user=org.owner, period=Q1, snapshot=snapshot)
    mate = figures(then, "rep", org.teammate.pk)
    assert mate.commit == Decimal("2000.00")  # h; not i, which the teammate keeps unshared
    assert then.find("rep", org.outsider.pk) is None


def test_the_page_shows_changes_since_the_latest_snapshot_before_today(org, data):
    today = timezone.localdate()
    take_snapshot(today=today - dt.timedelta(days=7))
    Opportunity.objects.filter(pk=data["c"].pk).update(forecast_category="commit")
    take_snapshot(today=today)  # this morning's: barely moved, not the default
    client = signed_in(org.manager)
    page = client.get(reverse("forecast"), {"period": "2026-Q1"}).content.decode()
    owner = page.split(f'data-node="rep-{org.owner.pk}"')[1].split("</div>")[0]
    assert '<small class="change"><bdi>+600.00</bdi></small>' in owner  # 500 EUR at 1.20
    week_ago = (today - dt.timedelta(days=7)).isoformat()
    assert f'<option value="{week_ago}" selected>' in page
    same_day = client.get(reverse("forecast"), {"period": "2026-Q1",
                                                "since": today.isoformat()}).content.decode()
    assert 'class="change"' not in same_day
    plain = client.get(reverse("forecast"), {"period": "2026-Q1", "since": "none"})
    assert 'class="change"' not in plain.content.decode()
    fa = signed_in(org.manager, HTTP_ACCEPT_LANGUAGE="fa")
    org.manager.language = "fa"
    org.manager.save()
    assert "+۶۰۰٫۰۰" in fa.get(reverse("forecast"), {"period": "2026-Q1"}).content.decode()


def test_without_a_snapshot_the_page_says_when_one_comes(org, data):
    page = signed_in(org.manager).get(reverse("forecast"), {"period": "2026-Q1"})
    assert "kept every Monday" in page.content.decode()


def test_snapshots_are_taken_weekly_and_pruned_with_their_lines(org, data, settings):
    assert SCHEDULES["sales.forecast_snapshot"].cron == "20 1 * * 1"
    old = take_snapshot(today=dt.date(2025, 1, 6))
    ForecastSnapshot.objects.filter(pk=old.pk).update(
        taken_at=timezone.now() - dt.timedelta(days=settings.FORECAST_SNAPSHOT_RETENTION_DAYS
                                               + 1))
    kept = take_snapshot(today=TODAY)
    assert prune_expired()["forecast snapshots"] == 1
    assert list(ForecastSnapshot.objects.all()) == [kept]
    assert not ForecastSnapshotLine.objects.filter(snapshot_id=old.pk).exists()
