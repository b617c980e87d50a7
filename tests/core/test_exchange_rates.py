import datetime as dt
from decimal import Decimal

import pytest

from amity.core.exchange_rates import ExchangeRate, MissingRate, to_org_currency

pytestmark = pytest.mark.django_db


def test_amounts_convert_at_the_rate_in_force_on_the_day(settings):
    settings.AMITY_CURRENCY = "USD"
    ExchangeRate.objects.create(currency="THB", valid_from=dt.date(2026, 1, 1),
                                rate=Decimal("0.028"))
    ExchangeRate.objects.create(currency="THB", valid_from=dt.date(2026, 6, 1),
                                rate=Decimal("0.030"))
    assert to_org_currency(Decimal("1000"), "THB", dt.date(2026, 5, 31)) == Decimal("28.00")
    assert to_org_currency(Decimal("1000"), "THB", dt.date(2026, 6, 1)) == Decimal("30.00")
    assert to_org_currency(Decimal("12.345"), "USD", dt.date(2020, 1, 1)) == Decimal("12.34")


def test_a_currency_without_a_rate_says_which_and_when(settings):
    settings.AMITY_CURRENCY = "USD"
    ExchangeRate.objects.create(currency="CNY", valid_from=dt.date(2026, 6, 1),
                                rate=Decimal("0.14"))
    with pytest.raises(MissingRate, match=r"CNY.*2026-05-01"):
        to_org_currency(Decimal("5"), "CNY", dt.date(2026, 5, 1))
