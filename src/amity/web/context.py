from django.conf import settings
from django.utils import translation

from amity.web.navigation import areas_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "areas": areas_for(user) if user and user.is_authenticated else [],
        "languages": settings.LANGUAGES,
        "text_direction": "rtl" if translation.get_language_bidi() else "ltr",
    }
