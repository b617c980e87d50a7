"""Per-request activation of the signed-in user's language, time zone and calendar."""

import zoneinfo

from django.utils import timezone, translation

from amity.core.calendars import activate_calendar


class UserLocaleMiddleware:
    """A signed-in user's saved language wins over the browser's; their time zone and
    calendar are used for every date shown."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = translation.get_language()
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            activate_calendar(user.calendar)
        else:
            timezone.deactivate()
            activate_calendar("gregorian")
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
