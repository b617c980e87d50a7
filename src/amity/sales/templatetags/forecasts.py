"""Money and percentages in the user's language and digits, for the forecast pages."""

from decimal import Decimal

from babel import numbers as babel_numbers
from django import template

from amity.core import calendars

register = template.Library()


def _digits(text: str, locale: str) -> str:
    return text.translate(calendars.PERSIAN_DIGITS) if locale == "fa" else text


@register.filter
def money(value) -> str:
    """An amount with two decimals and the language's separators ("" for none)."""
    if value is None or value == "":
        return ""
    locale = calendars.babel_locale()
    text = babel_numbers.format_decimal(Decimal(value), format="#,##0.00", locale=locale,
                                        numbering_system="default")
    return _digits(text, locale)


@register.filter
def pct(value) -> str:
    """A percentage already scaled to 0–100, with one decimal ("–" for none)."""
    if value is None or value == "":
        return "–"
    locale = calendars.babel_locale()
    text = babel_numbers.format_percent(Decimal(value) / 100, format="#,##0.0%",
                                        locale=locale, numbering_system="default")
    return _digits(text, locale)


@register.filter
def count(value) -> str:
    return calendars.format_number(value or 0)


@register.filter
def decimal1(value) -> str:
    if value is None:
        return "–"
    locale = calendars.babel_locale()
    text = babel_numbers.format_decimal(Decimal(value), format="#,##0.0", locale=locale,
                                        numbering_system="default")
    return _digits(text, locale)


@register.filter
def lookup(mapping, key):
    return mapping.get(key, "") if mapping else ""
