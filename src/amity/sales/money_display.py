"""Money as people read it: the amount in the user's language with its currency."""

import functools
from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency

from amity.core.calendars import PERSIAN_DIGITS, babel_locale


def format_money(amount: Decimal | None, currency: str) -> str:
    """`amount` of `currency` in the active language ("฿120,000.00"; Persian digits in
    Persian)."""
    if amount is None:
        return ""
    code = babel_locale()
    text = format_currency(amount, currency, locale=_locale(code), numbering_system="default")
    # babel gives Persian separators but Latin digits; people reading Persian expect
    # Persian digits, as calendars.format_number writes them.
    return text.translate(PERSIAN_DIGITS) if code == "fa" else text


@functools.lru_cache(maxsize=16)
def _locale(code: str) -> Locale:
    # A board formats dozens of amounts; parsing the locale each time is half the cost.
    return Locale.parse(code)
