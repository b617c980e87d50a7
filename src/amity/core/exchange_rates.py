"""Dated exchange rates, and conversion of money into the organisation's currency
(settings.AMITY_CURRENCY) for totals across records in several currencies."""

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.core.money import validate_currency

CENT = Decimal("0.01")


class ExchangeRate(models.Model):
    """How many units of the organisation's currency one unit of `currency` buys, from
    `valid_from` until the next rate for that currency."""

    currency = models.CharField(gettext_lazy("currency"), max_length=3,
                                validators=[validate_currency])
    valid_from = models.DateField(gettext_lazy("valid from"))
    rate = models.DecimalField(gettext_lazy("rate"), max_digits=20, decimal_places=10,
                               validators=[MinValueValidator(Decimal("0.0000000001"))])

    class Meta:
        app_label = "core"
        verbose_name = gettext_lazy("exchange rate")
        verbose_name_plural = gettext_lazy("exchange rates")
        ordering = ["currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_from"], name="one_rate_a_day"),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate} {settings.AMITY_CURRENCY} ({self.valid_from})"


class MissingRate(LookupError):
    """No rate for a currency on or before a date: totals cannot be converted."""

    def __init__(self, currency: str, on: dt.date):
        super().__init__(_("No exchange rate for %(currency)s on or before %(date)s.")
                         % {"currency": currency, "date": on.isoformat()})
        self.currency, self.on = currency, on


def rate_on(currency: str, on: dt.date) -> Decimal:
    """The rate for `currency` in force on `on`; 1 for the organisation's own currency."""
    if currency == settings.AMITY_CURRENCY:
        return Decimal(1)
    rate = (ExchangeRate.objects.filter(currency=currency, valid_from__lte=on)
            .order_by("-valid_from").values_list("rate", flat=True).first())
    if rate is None:
        raise MissingRate(currency, on)
    return rate


def to_org_currency(amount: Decimal, currency: str, on: dt.date) -> Decimal:
    """`amount` of `currency` in the organisation's currency at the rate of `on`."""
    return (amount * rate_on(currency, on)).quantize(CENT, rounding=ROUND_HALF_EVEN)
