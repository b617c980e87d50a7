"""Error pages that work even when the database does not: no queries, no user."""

import sys

from django.db import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from amity.api.errors import error_body


def _plain(request, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(status, message), status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def not_found(request, exception=None) -> HttpResponse:
    return _plain(request, 404, _("Not found."))


def server_error(request) -> HttpResponse:
    if isinstance(sys.exc_info()[1], DatabaseError):
        response = _plain(request, 503, _("Amity cannot reach its database right now. "
                                          "Please try again in a minute."))
        response["Retry-After"] = "30"
        return response
    return _plain(request, 500, _("Something went wrong on our side."))
