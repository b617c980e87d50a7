"""The calendar feed page (make, show once, revoke the secret link) and the feed itself,
which calendar clients fetch without signing in."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amity.activities.feeds import feed_create, feed_ics, feed_revoke, feed_user
from amity.activities.models import CalendarFeed


@login_required
def feed_settings(request):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(request, "activities/feed.html", {"title": _("Calendar feed"), "feed": feed,
                                                    "new_url": request.session.pop(
                                                        "amity_feed_url", None)})


@login_required
@require_POST
def feed_new(request):
    token = feed_create(user=request.user)
    # Shown on the next page only: the token is not stored, only its hash.
    request.session["amity_feed_url"] = request.build_absolute_uri(
        reverse("activity_feed", args=[token]))
    messages.success(request, _("Your calendar feed link is ready. Copy it now: it is shown "
                                "only once."))
    return redirect("activity_feed_settings")


@login_required
@require_POST
def feed_end(request):
    if feed_revoke(user=request.user):
        messages.success(request, _("The calendar feed link no longer works."))
    return redirect("activity_feed_settings")


@require_GET
def feed(request, token: str):
    """The .ics of the token's user; an unknown or revoked token answers 404."""
    user = feed_user(token)
    if user is None:
        raise Http404
    body = feed_ics(user, base_url=settings.AMITY_BASE_URL)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


urlpatterns = [
    path("activities/feed/", feed_settings, name="activity_feed_settings"),
    path("activities/feed/new/", feed_new, name="activity_feed_new"),
    path("activities/feed/revoke/", feed_end, name="activity_feed_revoke"),
    path("activities/feed/<str:token>.ics", feed, name="activity_feed"),
]
