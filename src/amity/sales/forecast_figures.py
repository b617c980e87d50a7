"""The forecast figures of each owner for a period, from one grouped aggregate query.

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
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Least, TruncDate
from django.utils import timezone

from amity.core.exchange_rates import ExchangeRate
from amity.sales.models import ForecastCategory, OpportunityStatus
from amity.sales.periods import Period

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


def grouped_rows(opportunities: QuerySet, period: Period, today: dt.date) -> QuerySet:
    """One row per (owner, currency, status, category, rate in force): the database adds
    up the amounts; the rate is named by its start day (rate_from), applied in Python so
    the multiplication stays in Decimal."""
    rate_day = Case(When(status=WON, then=TruncDate("closed_at")),
                    default=Least(F("close_date"), Value(today)), output_field=DateField())
    rate_from = Subquery(ExchangeRate.objects.filter(
        currency=OuterRef("currency"), valid_from__lte=OuterRef("rate_day"),
    ).order_by("-valid_from").values("valid_from")[:1], output_field=DateField())
    return (in_period(opportunities, period).exclude(amount=None)
            .annotate(rate_day=rate_day).annotate(rate_from=rate_from)
            .values("owner_id", "currency", "status", "forecast_category", "rate_from")
            .annotate(total=Sum("amount"), weighted=Sum(F("amount") * F("probability")),
                      n=Count("id"), earliest=Min("rate_day"))
            .order_by())


def owner_figures(opportunities: QuerySet, period: Period,
                  today: dt.date | None = None) -> OwnerFigures:
    """Figures per owner of the given (already access-filtered) opportunities."""
    today = today or timezone.localdate()
    rows = list(grouped_rows(opportunities, period, today))
    rates = _rates({(r["currency"], r["rate_from"]) for r in rows if r["rate_from"]})
    result = OwnerFigures()
    for row in rows:
        rate = _rate_for(row, rates)
        if rate is None:
            _note_missing(result.missing, row)
            continue
        figures = result.by_owner.setdefault(row["owner_id"], Figures())
        _add_row(figures, row, rate)
    return result


def _rates(keys: set[tuple[str, dt.date]]) -> dict[tuple[str, dt.date], Decimal]:
    if not keys:
        return {}
    found = ExchangeRate.objects.filter(currency__in={c for c, _ in keys},
                                        valid_from__in={d for _, d in keys})
    return {(r.currency, r.valid_from): r.rate for r in found}


def _rate_for(row: dict, rates: dict) -> Decimal | None:
    if row["currency"] == settings.AMITY_CURRENCY:
        return Decimal(1)
    return rates.get((row["currency"], row["rate_from"])) if row["rate_from"] else None


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
    day = row["earliest"]
    if isinstance(day, str):  # SQLite answers dates in a Case as text
        day = dt.date.fromisoformat(day)
    entry.earliest = day if entry.earliest is None else min(entry.earliest, day)


def sum_figures(parts) -> Figures:
    total = Figures()
    for part in parts:
        total.add(part)
    return total
