"""The dated exchange rates of a span of days, loaded once for a report's many rows:
the rate in force on a day is the latest one that started on or before it."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import Max

from amity.core.exchange_rates import ExchangeRate


class RateTable:
    def __init__(self, rates: dict[str, dict[dt.date, Decimal]]):
        self._rates = rates

    def starts_latest_first(self) -> list[tuple[str, dt.date]]:
        """(currency, start day) of every rate held, the latest of each currency first."""
        return [(currency, day) for currency, by_day in sorted(self._rates.items())
                for day in sorted(by_day, reverse=True)]

    def rate(self, currency: str, start: dt.date | None) -> Decimal | None:
        """The rate of `currency` that started on `start`; 1 for the organisation's own
        currency; None when there is none (no rate in force)."""
        if currency == settings.AMITY_CURRENCY:
            return Decimal(1)
        return self._rates.get(currency, {}).get(start) if start else None


def rate_table(*, first: dt.date, last: dt.date) -> RateTable:
    """Every rate that starts from `first` to `last`, and the one in force on `first`,
    for every currency. Two small queries."""
    floors = ExchangeRate.objects.filter(valid_from__lte=first).exclude(
        currency=settings.AMITY_CURRENCY).values("currency").annotate(floor=Max("valid_from"))
    floor_of = {row["currency"]: row["floor"] for row in floors}
    earliest = min([first, *floor_of.values()])
    rows = ExchangeRate.objects.filter(valid_from__gte=earliest, valid_from__lte=last).exclude(
        currency=settings.AMITY_CURRENCY).values_list("currency", "valid_from", "rate")
    rates: dict[str, dict[dt.date, Decimal]] = {}
    for currency, day, rate in rows:
        if day >= floor_of.get(currency, first):
            rates.setdefault(currency, {})[day] = rate
    return RateTable(rates)
