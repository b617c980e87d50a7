from django.conf import settings
from django.utils import translation

from amity.web.navigation import areas_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if not hasattr(request, "_amity_areas"):
        # Once per request: a page that renders a partial too asks twice.
        request._amity_areas = areas_for(user) if user and user.is_authenticated else []
    return {
        "areas": request._amity_areas,
        "languages": settings.LANGUAGES,
        "text_direction": "rtl" if translation.get_language_bidi() else "ltr",
    }
