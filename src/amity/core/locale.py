"""Rendering as a given user sees the app, outside a request of theirs (background
work, messages to them): their language, time zone and calendar."""

import contextlib
import zoneinfo
from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone, translation

from amity.core import calendars


def user_language(user) -> translation.override:
    """The user's language, active inside the block (the site's if they chose none)."""
    return translation.override(user.language or settings.LANGUAGE_CODE)


@contextlib.contextmanager
def user_locale(user) -> Iterator[None]:
    """Render as the user sees the app: their language, time zone and calendar."""
    try:
        zone = zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    previous = calendars.current_calendar()
    calendars.activate_calendar(user.calendar)
    try:
        with user_language(user), timezone.override(zone):
            yield
    finally:
        calendars.activate_calendar(previous)
