"""Money and quantities on the catalogue pages, in the active language's digits."""

from decimal import Decimal

from babel.numbers import format_decimal
from django import template

from amity.core.calendars import PERSIAN_DIGITS, babel_locale, format_number

register = template.Library()


@register.filter
def amount(value: Decimal | None) -> str:
    """A money amount with two decimals: 1,234.50 (۱٬۲۳۴٫۵۰ in Persian)."""
    if value is None:
        return ""
    locale = babel_locale()
    text = format_decimal(value, format="#,##0.00", locale=locale, numbering_system="default")
    return text.translate(PERSIAN_DIGITS) if locale == "fa" else text


@register.filter
def quantity(value: Decimal | None) -> str:
    """A quantity without trailing zeros: 2, 1.5."""
    return "" if value is None else format_number(value)
