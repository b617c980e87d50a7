"""Forecast periods: a calendar month ("2026-03") or quarter ("2026-Q1")."""

import datetime as dt
import re
from dataclasses import dataclass

from babel import dates as babel_dates
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from amity.core import calendars

MONTH, QUARTER = "month", "quarter"
# Quotas and forecasts outside these years are typing mistakes, not plans.
FIRST_YEAR, LAST_YEAR = 2000, 2100
_MONTH_KEY = re.compile(r"(\d{4})-(\d{2})")
_QUARTER_KEY = re.compile(r"(\d{4})-Q([1-4])")


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date  # the first day
    kind: str  # MONTH or QUARTER

    @property
    def months(self) -> int:
        return 1 if self.kind == MONTH else 3

    @property
    def end(self) -> dt.date:
        """The last day of the period (inclusive)."""
        return _add_months(self.start, self.months) - dt.timedelta(days=1)

    @property
    def key(self) -> str:
        if self.kind == MONTH:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return f"{self.start.year:04d}-Q{(self.start.month - 1) // 3 + 1}"

    def month_periods(self) -> list["Period"]:
        """The months of the period (itself for a month)."""
        return [Period(_add_months(self.start, i), MONTH) for i in range(self.months)]

    def label(self) -> str:
        """The period as people read it, in the active language."""
        locale = calendars.babel_locale()
        if self.kind == MONTH:
            text = babel_dates.format_date(self.start, "LLLL y", locale=locale)
        else:
            text = _("Q%(quarter)s %(year)s") % {
                "quarter": (self.start.month - 1) // 3 + 1, "year": self.start.year}
        # Persian readers get Persian digits, as everywhere else in Amity.
        return text.translate(calendars.PERSIAN_DIGITS) if locale == "fa" else text

    def previous(self) -> "Period":
        return Period(_add_months(self.start, -self.months), self.kind)

    def next(self) -> "Period":
        return Period(_add_months(self.start, self.months), self.kind)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as aware datetimes in the active time zone (for closed_at)."""
        zone = timezone.get_current_timezone()
        start = dt.datetime.combine(self.start, dt.time(), tzinfo=zone)
        return start, dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tzinfo=zone)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def parse_period(text: str, *, field: str = "period") -> Period:
    """The period a key names; a ValidationError on `field` if it names none."""
    text = (text or "").strip().upper()
    month, quarter = _MONTH_KEY.fullmatch(text), _QUARTER_KEY.fullmatch(text)
    if month and 1 <= int(month[2]) <= 12:
        period = Period(dt.date(int(month[1]), int(month[2]), 1), MONTH)
    elif quarter:
        period = Period(dt.date(int(quarter[1]), int(quarter[2]) * 3 - 2, 1), QUARTER)
    else:
        raise ValidationError({field: [_(
            "Give a month as YYYY-MM (e.g. 2026-03) or a quarter as YYYY-Qn (e.g. 2026-Q1).")]})
    if not FIRST_YEAR <= period.start.year <= LAST_YEAR:
        raise ValidationError({field: [_("Give a year from %(first)s to %(last)s.")
                                       % {"first": FIRST_YEAR, "last": LAST_YEAR}]})
    return period


def current_period(kind: str = QUARTER) -> Period:
    """The month or quarter of today (in the active time zone)."""
    today = timezone.localdate()
    month = today.month if kind == MONTH else (today.month - 1) // 3 * 3 + 1
    return Period(dt.date(today.year, month, 1), MONTH if kind == MONTH else QUARTER)


def periods_of_year(year: int, kind: str) -> list[Period]:
    step = 1 if kind == MONTH else 3
    return [Period(dt.date(year, month, 1), kind) for month in range(1, 13, step)]
