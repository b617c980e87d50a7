"""Money as people read it: the amount in the user's language with its currency."""

from decimal import Decimal

from babel.numbers import format_currency

from amity.core.calendars import babel_locale


def format_money(amount: Decimal | None, currency: str) -> str:
    """`amount` of `currency` in the active language ("฿120,000.00"; Persian digits in
    Persian)."""
    if amount is None:
        return ""
    return format_currency(amount, currency, locale=babel_locale(), numbering_system="default")
