"""The forecast figures of each owner for a period, from two grouped aggregate queries.

Open opportunities count in the period of their expected close date, won ones in the
period they were closed in. Amounts are converted into the organisation's currency at
the dated rate in force on the close date: the expected close date for an open
opportunity (today's rate when that date is still ahead: tomorrow's rate is not known
yet), the day it was won for a won one. Opportunities whose currency has no rate on or
before that day are left out and reported (MissingRate), never guessed."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Least, TruncDate
from django.utils import timezone

from amity.sales.models import ForecastCategory, OpportunityStatus
from amity.sales.periods import Period
from amity.sales.rate_table import RateTable, rate_table

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
OPEN, WON = OpportunityStatus.OPEN, OpportunityStatus.WON


@dataclass
class Figures:
    """One owner's (or a team's) forecast for a period, in the organisation's currency."""

    won: Decimal = ZERO
    commit: Decimal = ZERO  # open, category commit
    best: Decimal = ZERO  # open, category best case
    pipeline: Decimal = ZERO  # every open opportunity
    weighted: Decimal = ZERO  # open amount × probability
    won_count: int = 0
    open_count: int = 0
    quota: Decimal | None = None

    @property
    def committed(self) -> Decimal:
        return self.commit + self.won

    @property
    def best_case(self) -> Decimal:
        return self.best + self.commit + self.won

    @property
    def attainment(self) -> Decimal | None:
        """Closed won as a percentage of the quota (one decimal); None without a quota."""
        if not self.quota:
            return None
        return (self.won * 100 / self.quota).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)

    def add(self, other: "Figures") -> None:
        for name in ("won", "commit", "best", "pipeline", "weighted", "won_count", "open_count"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.quota is not None:
            self.quota = (self.quota or ZERO) + other.quota


@dataclass
class Missing:
    """Opportunities left out of the totals for want of an exchange rate."""

    currency: str
    count: int = 0
    earliest: dt.date | None = None
    amount: Decimal = ZERO  # in their own currency


@dataclass
class OwnerFigures:
    by_owner: dict[int, Figures] = field(default_factory=dict)
    missing: dict[str, Missing] = field(default_factory=dict)


def in_period(opportunities: QuerySet, period: Period) -> QuerySet:
    """Open opportunities expected to close in `period` and those won in it."""
    start, end = period.bounds()
    return opportunities.filter(
        Q(status=OPEN, close_date__gte=period.start, close_date__lte=period.end)
        | Q(status=WON, closed_at__gte=start, closed_at__lt=end))


def grouped_rows(opportunities: QuerySet, period: Period, today: dt.date,
                 rates: RateTable) -> list[dict]:
    """One row per (owner, currency, status, category, rate in force): the database adds
    up the amounts, Python applies the rates (in Decimal). The rate in force is named by
    the day it started (rate_from, a CASE over the few rates of the period); None for the
    organisation's currency, and for an amount with no rate yet. Open and won are two
    queries, each served by its own partial index (opp_forecast_open, opp_forecast_won)."""
    start, end = period.bounds()
    # COUNT(*), not COUNT(id): the id is not in the indexes, and the heap would be read.
    sums = {"total": Sum("amount"), "n": Count("*"), "earliest": Min("rate_day")}
    open_rows = (
        opportunities.filter(status=OPEN, close_date__gte=period.start,
                             close_date__lte=period.end).exclude(amount=None)
        .annotate(rate_day=Least(F("close_date"), Value(today), output_field=DateField()))
        .annotate(rate_from=_rate_from(rates))
        .values("owner_id", "currency", "forecast_category", "rate_from")
        .annotate(**sums, weighted=Sum(F("amount") * F("probability"))).order_by())
    won_rows = (
        opportunities.filter(status=WON, closed_at__gte=start, closed_at__lt=end)
        .exclude(amount=None).annotate(rate_day=TruncDate("closed_at"))
        .annotate(rate_from=_rate_from(rates))
        .values("owner_id", "currency", "rate_from").annotate(**sums).order_by())
    return ([{**row, "status": OPEN} for row in open_rows]
            + [{**row, "status": WON, "forecast_category": None, "weighted": 0}
               for row in won_rows])


def _rate_from(rates: RateTable) -> Case:
    """The start day of the rate in force on rate_day: the latest start not after it."""
    whens = [When(currency=settings.AMITY_CURRENCY, then=Value(None))]
    for currency, day in rates.starts_latest_first():
        whens.append(When(currency=currency, rate_day__gte=day, then=Value(day)))
    return Case(*whens, default=Value(None), output_field=DateField())


def _day(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value  # SQLite: text


def owner_figures(opportunities: QuerySet, period: Period,
                  today: dt.date | None = None) -> OwnerFigures:
    """Figures per owner of the given (already access-filtered) opportunities."""
    today = today or timezone.localdate()
    rates = rate_table(first=min(period.start, today), last=period.end)
    result = OwnerFigures()
    for row in grouped_rows(opportunities, period, today, rates):
        rate = rates.rate(row["currency"], _day(row["rate_from"]))
        if rate is None:
            _note_missing(result.missing, row)
            continue
        figures = result.by_owner.setdefault(row["owner_id"], Figures())
        _add_row(figures, row, rate)
    return result


def _convert(amount, rate: Decimal) -> Decimal:
    return (Decimal(amount) * rate).quantize(CENT, rounding=ROUND_HALF_EVEN)


def _add_row(figures: Figures, row: dict, rate: Decimal) -> None:
    amount = _convert(row["total"], rate)
    if row["status"] == WON:
        figures.won += amount
        figures.won_count += row["n"]
        return
    figures.pipeline += amount
    figures.open_count += row["n"]
    figures.weighted += _convert(Decimal(row["weighted"]) / 100, rate)
    if row["forecast_category"] == ForecastCategory.COMMIT:
        figures.commit += amount
    elif row["forecast_category"] == ForecastCategory.BEST_CASE:
        figures.best += amount


def _note_missing(missing: dict[str, Missing], row: dict) -> None:
    entry = missing.setdefault(row["currency"], Missing(row["currency"]))
    entry.count += row["n"]
    entry.amount += Decimal(row["total"])
    day = _day(row["earliest"])
    entry.earliest = day if entry.earliest is None else min(entry.earliest, day)
