"""Dates and numbers in the user's language, time zone and calendar.

The calendar is activated per request (like Django's time zone), so templates
and code format with `format_date` / `format_datetime` without passing the user."""

import contextvars
import datetime as dt
import functools
import re
from decimal import Decimal

import jdatetime
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from django.utils import timezone, translation

GREGORIAN, BUDDHIST, PERSIAN = "gregorian", "buddhist", "persian"
BUDDHIST_ERA_OFFSET = 543
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

_calendar: contextvars.ContextVar[str] = contextvars.ContextVar("calendar", default=GREGORIAN)


def activate_calendar(calendar: str) -> None:
    _calendar.set(calendar if calendar in (GREGORIAN, BUDDHIST, PERSIAN) else GREGORIAN)


def current_calendar() -> str:
    return _calendar.get()


def babel_locale(language: str | None = None) -> str:
    """The babel locale of `language` (default: the active one)."""
    code = language or translation.get_language() or "en"
    return {"zh-hans": "zh_Hans"}.get(code.lower(), code.split("-")[0])


def _digits(text: str, locale: str) -> str:
    return text.translate(PERSIAN_DIGITS) if locale == "fa" else text


def _with_year(pattern: str, year: int) -> str:
    """The locale's date pattern with its year field replaced by a literal year."""
    return re.sub(r"y+", f"'{year}'", pattern)


def format_date(value: dt.date | dt.datetime | None, *, calendar: str | None = None,
                language: str | None = None) -> str:
    """`value` as a medium-length date in the active calendar and language."""
    if not isinstance(value, dt.date):  # None, or a template's empty string
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return _date_text(value, babel_locale(language), calendar or current_calendar())


# A list page formats the same days and minutes over and over; babel re-reads its patterns
# on every call. Both are pure functions of their arguments.
@functools.lru_cache(maxsize=4096)
def _date_text(value: dt.date, locale: str, calendar: str) -> str:
    if calendar == PERSIAN:
        return _digits(_persian_date(value, locale), locale)
    pattern = babel_dates.get_date_format("medium", locale=locale).pattern
    if calendar == BUDDHIST:
        pattern = _with_year(pattern, value.year + BUDDHIST_ERA_OFFSET)
    return _digits(babel_dates.format_date(value, pattern, locale=locale), locale)


@functools.lru_cache(maxsize=4096)
def _time_text(value: dt.time, locale: str) -> str:
    """Hours and minutes: the short time format has no seconds."""
    return _digits(babel_dates.format_time(value, "short", locale=locale), locale)


def _persian_date(value: dt.date, locale: str) -> str:
    j = jdatetime.date.fromgregorian(date=value)
    if locale == "fa":
        return f"{j.day} {jdatetime.date.j_months_fa[j.month - 1]} {j.year}"
    return f"{j.day} {jdatetime.date.j_months_en[j.month - 1]} {j.year}"


def format_datetime(value: dt.datetime | None, *, calendar: str | None = None,
                    language: str | None = None) -> str:
    """`value` in the active time zone: date in the active calendar, then the time."""
    if not isinstance(value, dt.datetime):
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    locale = babel_locale(language)
    time = _time_text(local.time().replace(second=0, microsecond=0), locale)
    return f"{_date_text(local.date(), locale, calendar or current_calendar())} {time}"


def format_number(value: int | float | Decimal | None, *, language: str | None = None,
                  decimals: int | None = None) -> str:
    """A number with the language's separators (and Persian digits in Persian); with
    `decimals`, exactly that many digits after the decimal point (cents: 2)."""
    if value is None:
        return ""
    locale = babel_locale(language)
    pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    # "default" picks each language's own numbering system: Persian separators ٬ and ٫.
    text = babel_numbers.format_decimal(value, format=pattern, locale=locale,
                                        numbering_system="default")
    return _digits(text, locale)
