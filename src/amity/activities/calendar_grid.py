"""Month and week grids in the user's calendar (Gregorian, Thai Buddhist or Persian).

A month is the calendar's own month: a Persian month (e.g. Farvardin, 21 March to 20 April)
spans two Gregorian months; the Thai Buddhist calendar has the Gregorian months with the
year 543 later. Weeks start on Saturday in the Persian calendar and on Monday otherwise."""

import datetime as dt
from dataclasses import dataclass

import jdatetime
from babel import dates as babel_dates

from amity.core.calendars import (
    BUDDHIST,
    BUDDHIST_ERA_OFFSET,
    PERSIAN,
    babel_locale,
    format_date,
    format_number,
)

SATURDAY, MONDAY = 5, 0


@dataclass(frozen=True)
class Month:
    """A month of the calendar: its year and number as that calendar counts them."""

    calendar: str
    year: int
    month: int

    @property
    def first(self) -> dt.date:
        """Its first day, as a (Gregorian) date."""
        if self.calendar == PERSIAN:
            return jdatetime.date(self.year, self.month, 1).togregorian()
        return dt.date(self._gregorian_year, self.month, 1)

    @property
    def last(self) -> dt.date:
        return self.following.first - dt.timedelta(days=1)

    @property
    def _gregorian_year(self) -> int:
        return self.year - BUDDHIST_ERA_OFFSET if self.calendar == BUDDHIST else self.year

    @property
    def following(self) -> "Month":
        year, month = (self.year + 1, 1) if self.month == 12 else (self.year, self.month + 1)
        return Month(self.calendar, year, month)

    @property
    def previous(self) -> "Month":
        year, month = (self.year - 1, 12) if self.month == 1 else (self.year, self.month - 1)
        return Month(self.calendar, year, month)

    @property
    def key(self) -> str:
        """How the month appears in URLs: "2569-12" (in its own calendar's numbers)."""
        return f"{self.year:04d}-{self.month:02d}"

    def title(self, language: str | None = None) -> str:
        """"December 2569", "آذر ۱۴۰۵": the month's name and year in the language."""
        locale = babel_locale(language)
        if self.calendar == PERSIAN:
            names = jdatetime.date.j_months_fa if locale == "fa" else jdatetime.date.j_months_en
            name = names[self.month - 1]
        else:
            name = babel_dates.get_month_names("wide", context="stand-alone",
                                               locale=locale)[self.month]
        year = format_number(self.year, language=language).replace(",", "").replace("٬", "")
        return f"{name} {year}"


def month_of(calendar: str, day: dt.date) -> Month:
    """The calendar's month that `day` falls in."""
    if calendar == PERSIAN:
        j = jdatetime.date.fromgregorian(date=day)
        return Month(calendar, j.year, j.month)
    year = day.year + BUDDHIST_ERA_OFFSET if calendar == BUDDHIST else day.year
    return Month(calendar, year, day.month)


def parse_month(calendar: str, text: str | None, today: dt.date) -> Month:
    """The month a URL names ("1405-01"), or this month if it names none or a bad one."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        candidate = Month(calendar, year, month)
        if 1 <= month <= 12 and 1 <= year <= 9000:
            candidate.first  # noqa: B018  (refuses a year the calendar cannot show)
            return candidate
    except (ValueError, OverflowError):
        pass
    return month_of(calendar, today)


def first_weekday(calendar: str) -> int:
    return SATURDAY if calendar == PERSIAN else MONDAY


@dataclass(frozen=True)
class Day:
    date: dt.date
    label: str  # the day of the month in the user's calendar and digits
    in_month: bool
    is_today: bool


def day_label(calendar: str, day: dt.date, language: str | None = None) -> str:
    number = jdatetime.date.fromgregorian(date=day).day if calendar == PERSIAN else day.day
    return format_number(number, language=language)


def week_start(calendar: str, day: dt.date) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - first_weekday(calendar)) % 7)


def month_weeks(month: Month, today: dt.date, language: str | None = None) -> list[list[Day]]:
    """The weeks (rows of 7 days) that cover the month, from its calendar's first weekday."""
    start = week_start(month.calendar, month.first)
    last = month.last
    weeks = []
    while start <= last:
        weeks.append([_day(month.calendar, start + dt.timedelta(days=i), today, month, language)
                      for i in range(7)])
        start += dt.timedelta(days=7)
    return weeks


def _day(calendar: str, day: dt.date, today: dt.date, month: Month | None,
         language: str | None) -> Day:
    in_month = month is None or month.first <= day <= month.last
    return Day(day, day_label(calendar, day, language), in_month, day == today)


def week_days(calendar: str, day: dt.date, today: dt.date,
              language: str | None = None) -> list[Day]:
    start = week_start(calendar, day)
    return [_day(calendar, start + dt.timedelta(days=i), today, None, language)
            for i in range(7)]


def weekday_names(calendar: str, language: str | None = None) -> list[str]:
    """Short weekday names in the calendar's week order."""
    names = babel_dates.get_day_names("abbreviated", locale=babel_locale(language))
    first = first_weekday(calendar)
    return [names[(first + i) % 7] for i in range(7)]


def week_title(calendar: str, days: list[Day], language: str | None = None) -> str:
    return (f"{format_date(days[0].date, calendar=calendar, language=language)} – "
            f"{format_date(days[-1].date, calendar=calendar, language=language)}")

