"""Forecast snapshots: once a week the open opportunities, and those won in the last
year, are copied as they stand (one INSERT … SELECT, no Python per row), so the forecast
page can show how each rep's and team's figures moved since. A snapshot is read through
sales.forecasts like the live forecast, each line through its opportunity's access gate."""

import datetime as dt

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from amity.core.bulk import analyze
from amity.org.models import User
from amity.sales.models import ForecastSnapshot, ForecastSnapshotLine, Opportunity
from amity.sales.models import OpportunityStatus as Status

# Won opportunities a snapshot keeps: the longest period compared is a quarter.
WON_KEPT_DAYS = 400
OFFERED = 12  # snapshots offered for comparison on the forecast page
_COLUMNS = ("owner_id", "status", "forecast_category", "currency", "amount", "probability",
            "close_date", "closed_at")


def take_snapshot(*, today: dt.date | None = None) -> ForecastSnapshot:
    """Today's snapshot; a second run on the same day (a retried or doubled job) keeps the
    first one."""
    today = today or timezone.localdate()
    with transaction.atomic():
        snapshot, created = ForecastSnapshot.objects.get_or_create(taken_on=today)
        if created:
            _copy_lines(snapshot, won_since=timezone.now() - dt.timedelta(days=WON_KEPT_DAYS))
    analyze(ForecastSnapshotLine)  # a week's lines arrived at once: plan with them
    return snapshot


def _copy_lines(snapshot: ForecastSnapshot, *, won_since: dt.datetime) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in _COLUMNS)
    sql = (f"INSERT INTO {quote(ForecastSnapshotLine._meta.db_table)} "  # noqa: S608 - names
           f"(snapshot_id, opportunity_id, {columns}) "
           f"SELECT %s, id, {columns} FROM {quote(Opportunity._meta.db_table)} "
           "WHERE deleted IS NULL AND amount IS NOT NULL "
           "AND (status = %s OR (status = %s AND closed_at >= %s))")
    with connection.cursor() as cursor:
        cursor.execute(sql, [snapshot.pk, Status.OPEN, Status.WON, won_since])


def offered_snapshots() -> list[ForecastSnapshot]:
    """The latest snapshots, newest first."""
    return list(ForecastSnapshot.objects.all()[:OFFERED])


def chosen_snapshot(offered: list[ForecastSnapshot], asked: str, *,
                    today: dt.date | None = None) -> ForecastSnapshot | None:
    """The snapshot asked for by its day; by default the latest taken before today (one
    taken this morning has barely moved); None for "none" or nothing older."""
    if asked:
        return next((s for s in offered if s.taken_on.isoformat() == asked), None)
    today = today or timezone.localdate()
    return next((s for s in offered if s.taken_on < today), None)


def snapshot_lines(snapshot: ForecastSnapshot, user: User) -> QuerySet[ForecastSnapshotLine]:
    """The snapshot's lines of the opportunities `user` may see today."""
    return ForecastSnapshotLine.objects.filter(
        snapshot=snapshot, opportunity__in=Opportunity.objects.visible_to(user).values("pk"))
