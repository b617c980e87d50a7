"""Error pages that work even when the database does not: no queries, no user."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from amity.api.errors import error_body


def _plain(request, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(status, message), status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def not_found(request, exception=None) -> HttpResponse:
    """The site's layout with a way home; the same 404 for "missing" and "not yours"."""
    if request.path.startswith("/api/"):
        return _plain(request, 404, _("Not found."))
    return render(request, "web/not_found.html", status=404)


def database_unavailable(request) -> HttpResponse:
    """503 for a request that failed on the database (also used by the API's handler)."""
    response = _plain(request, 503, _("Amity cannot reach its database right now. "
                                      "Please try again in a minute."))
    response["Retry-After"] = "30"
    return response


def server_error(request) -> HttpResponse:
    # Connection-level failures only: an IntegrityError is a bug, not an outage.
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        if request.path == "/health":
            return JsonResponse({"status": "degraded", "database": {"ok": False},
                                 "queue": {"ok": False}}, status=503)
        return database_unavailable(request)
    return _plain(request, 500, _("Something went wrong on our side."))
