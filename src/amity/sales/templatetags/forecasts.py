"""Money and percentages in the user's language and digits, for the forecast pages."""

import functools
from decimal import Decimal

from babel import Locale
from babel import numbers as babel_numbers
from django import template

from amity.core import calendars

register = template.Library()


def _digits(text: str, locale: str) -> str:
    return text.translate(calendars.PERSIAN_DIGITS) if locale == "fa" else text


# A forecast tree formats hundreds of amounts: parse each locale and pattern once.
@functools.lru_cache(maxsize=64)
def _pattern(locale: str, pattern: str):
    return Locale.parse(locale), babel_numbers.parse_pattern(pattern)


def _format(value: Decimal, pattern: str) -> str:
    locale = calendars.babel_locale()
    parsed_locale, parsed = _pattern(locale, pattern)
    return _digits(parsed.apply(value, parsed_locale, numbering_system="default"), locale)


@register.filter
def money(value) -> str:
    """An amount with two decimals and the language's separators ("" for none)."""
    if value is None or value == "":
        return ""
    return _format(Decimal(value), "#,##0.00")


@register.filter
def change(now, before) -> str:
    """How far an amount moved from `before`, signed ("" when it did not move)."""
    if now is None or before is None:
        return ""
    delta = Decimal(now) - Decimal(before)
    return _format(delta, "+#,##0.00;-#,##0.00") if delta else ""


@register.filter
def pct(value) -> str:
    """A percentage already scaled to 0–100, with one decimal ("–" for none)."""
    if value is None or value == "":
        return "–"
    return _format(Decimal(value) / 100, "#,##0.0%")


@register.filter
def count(value) -> str:
    return calendars.format_number(value or 0)


@register.filter
def decimal1(value) -> str:
    if value is None:
        return "–"
    return _format(Decimal(value), "#,##0.0")


@register.filter
def lookup(mapping, key):
    return mapping.get(key, "") if mapping else ""
