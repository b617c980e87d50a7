"""Money as people read it: the amount in the user's language with its currency."""

import functools
from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency

from amity.core.calendars import babel_locale


def format_money(amount: Decimal | None, currency: str) -> str:
    """`amount` of `currency` in the active language ("฿120,000.00"; Persian digits in
    Persian)."""
    if amount is None:
        return ""
    return format_currency(amount, currency, locale=_locale(babel_locale()),
                           numbering_system="default")


@functools.lru_cache(maxsize=16)
def _locale(code: str) -> Locale:
    # A board formats dozens of amounts; parsing the locale each time is half the cost.
    return Locale.parse(code)
