"""Recurring tasks: a rule (daily, weekly, monthly or yearly, every N, on some weekdays,
until a date or for a number of times) kept as an RFC 5545 RRULE, and the next occurrence
of a series, computed in the owner's time zone so a task due at 09:00 stays at 09:00 across
daylight-saving changes.

A monthly rule from the 29th-31st falls on the last day of shorter months, and a yearly rule
from 29 February on 28 February in other years: people mean "end of month" there, while
plain RFC 5545 would skip those months (BYMONTHDAY=28..31 with BYSETPOS=-1 does it)."""

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FREQUENCIES = {"daily": rrule.DAILY, "weekly": rrule.WEEKLY, "monthly": rrule.MONTHLY,
               "yearly": rrule.YEARLY}
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_INTERVAL = 1000
MAX_COUNT = 1000


@dataclass(frozen=True)
class Recurrence:
    """A recurrence rule as people set it."""

    freq: str
    interval: int = 1
    weekdays: tuple[str, ...] = field(default_factory=tuple)
    until: dt.date | None = None
    count: int | None = None

    def clean(self) -> "Recurrence":
        """Itself, if valid; a ValidationError keyed by the field at fault otherwise."""
        if self.freq not in FREQUENCIES:
            raise ValidationError({"freq": _("Choose daily, weekly, monthly or yearly.")})
        if not isinstance(self.interval, int) or not 1 <= self.interval <= MAX_INTERVAL:
            raise ValidationError({"interval": _("Repeat every 1 to %(max)s periods.")
                                   % {"max": MAX_INTERVAL}})
        if any(day not in WEEKDAYS for day in self.weekdays):
            raise ValidationError({"weekdays": _("Weekdays are MO, TU, WE, TH, FR, SA, SU.")})
        if self.weekdays and self.freq != "weekly":
            raise ValidationError({"weekdays": _("Weekdays go with a weekly rule.")})
        if self.count is not None and not 1 <= self.count <= MAX_COUNT:
            raise ValidationError({"count": _("Repeat 1 to %(max)s times.") % {"max": MAX_COUNT}})
        if self.count is not None and self.until is not None:
            raise ValidationError({"count": _("Give an end date or a number of times, "
                                              "not both.")})
        return self

    def text(self) -> str:
        """The RRULE text stored on the task."""
        parts = [f"FREQ={self.freq.upper()}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.weekdays:
            parts.append("BYDAY=" + ",".join(d for d in WEEKDAYS if d in self.weekdays))
        if self.until:
            parts.append(f"UNTIL={self.until:%Y%m%d}")
        if self.count:
            parts.append(f"COUNT={self.count}")
        return ";".join(parts)


def parse_rule(text: str) -> Recurrence:
    """The Recurrence an RRULE text stores (only the parts Amity writes)."""
    values: dict[str, str] = {}
    for part in (text or "").split(";"):
        name, _sep, value = part.partition("=")
        values[name.strip().upper()] = value.strip()
    try:
        return Recurrence(
            freq=values.get("FREQ", "").lower(),
            interval=int(values.get("INTERVAL", "1")),
            weekdays=tuple(d for d in values.get("BYDAY", "").split(",") if d),
            until=dt.datetime.strptime(values["UNTIL"][:8], "%Y%m%d").date()
            if values.get("UNTIL") else None,
            count=int(values["COUNT"]) if values.get("COUNT") else None,
        ).clean()
    except (ValueError, KeyError) as exc:
        raise ValidationError(_("This is not a repeat rule Amity understands.")) from exc


def _rule(rec: Recurrence, start: dt.datetime) -> rrule.rrule:
    """The dateutil rule from `start` (naive local time), with end-of-month clamping; the
    count is applied by _slots."""
    options: dict = {"interval": rec.interval, "dtstart": start}
    if rec.until:
        options["until"] = dt.datetime.combine(rec.until, dt.time.max)
    if rec.weekdays:
        options["byweekday"] = [WEEKDAYS.index(d) for d in rec.weekdays]
    if rec.freq == "monthly" and start.day > 28:
        options.update(bymonthday=list(range(28, start.day + 1)), bysetpos=-1)
    if rec.freq == "yearly" and start.month == 2 and start.day == 29:
        options.update(bymonth=2, bymonthday=[28, 29], bysetpos=-1)
    return rrule.rrule(FREQUENCIES[rec.freq], **options)


def _slots(rec: Recurrence, start: dt.datetime) -> Iterator[dt.datetime]:
    """The first task's time, then the rule's times after it; `count` counts the first
    task too (even when it is not on one of the rule's weekdays)."""
    yield start
    made = 1
    for when in _rule(rec, start):
        if when <= start:
            continue
        if rec.count and made >= rec.count:
            return
        yield when
        made += 1


def occurrence_at(text: str, *, start: dt.datetime, index: int,
                  time_zone: str) -> dt.datetime | None:
    """The `index`-th occurrence (0 is `start`) of the rule in `time_zone`, as an aware
    datetime; None past the rule's end."""
    zone = zoneinfo.ZoneInfo(time_zone or "UTC")
    local = start.astimezone(zone).replace(tzinfo=None)
    when = next(islice(_slots(parse_rule(text), local), index, None), None)
    # Wall-clock time in the zone: 09:00 stays 09:00 across a daylight-saving change.
    return None if when is None else when.replace(tzinfo=zone).astimezone(dt.UTC)


def describe(text: str) -> str:
    """The rule in words, for the task's page."""
    rec = parse_rule(text)
    every = {"daily": _("Every %(n)s day(s)"), "weekly": _("Every %(n)s week(s)"),
             "monthly": _("Every %(n)s month(s)"), "yearly": _("Every %(n)s year(s)")}
    words = every[rec.freq] % {"n": rec.interval}
    if rec.weekdays:
        words += " · " + ", ".join(rec.weekdays)
    if rec.until:
        words += " · " + _("until %(date)s") % {"date": rec.until.isoformat()}
    if rec.count:
        words += " · " + _("%(n)s times") % {"n": rec.count}
    return words
