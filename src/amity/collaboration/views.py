"""The bell in the header, the notifications page and the notification settings."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from amity.collaboration import services
from amity.collaboration.forms import NotificationSettingsForm
from amity.collaboration.links import record_link, record_links
from amity.collaboration.models import Notification
from amity.core.pagination import keyset_page

ORDERING = ("-created_at", "-id")
PANEL_SIZE = 8
PAGE_SIZE = 25
CHANGED = "notifications-changed"  # the bell's count, panel and the page reload on it


def with_links(user, notifications: list[Notification]) -> list[Notification]:
    """The notifications, each with `.link` set when the user may open its record."""
    links = record_links(user, notifications)
    for notification in notifications:
        notification.link = links.get(notification.pk)
    return notifications


def notification_count(request: HttpRequest) -> HttpResponse:
    """The bell's badge, asked for on page load and then every few seconds: one query."""
    if not request.user.is_authenticated:
        # Signed out in another tab, or the session expired: a poll must not swap the
        # sign-in page into the badge, nor take the user away from what they are typing.
        return HttpResponse(status=204)
    # Rendered without the request: the layout's context processors would cost queries.
    return HttpResponse(render_to_string("collaboration/_count.html",
                                         {"count": services.unread_count(request.user)}))


@login_required
def notification_panel(request: HttpRequest) -> HttpResponse:
    latest = list(Notification.objects.for_user(request.user).order_by(*ORDERING)[:PANEL_SIZE])
    return HttpResponse(render_to_string("collaboration/_panel.html", {
        "notifications": with_links(request.user, latest), "csrf_token": get_token(request)}))


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread = request.GET.get("unread") == "1"
    rows = Notification.objects.for_user(request.user)
    if unread:
        rows = rows.unread()
    error = None
    try:
        page = keyset_page(rows, ordering=ORDERING, after=request.GET.get("after"),
                           size=PAGE_SIZE)
    except ValidationError as exc:
        error = exc.message_dict["cursor"][0]
        page = keyset_page(rows, ordering=ORDERING, size=PAGE_SIZE)
    with_links(request.user, page.items)
    return render(request, "collaboration/list.html", {
        "page": page, "unread": unread, "error": error, "title": _("Notifications"),
    }, status=400 if error else 200)


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification: it is marked read, and its record opens if the user may
    still see it (the record's gate decides, now, not when it was sent)."""
    notification = _mark_read(request, pk)
    link = record_link(request.user, notification)
    if link:
        return redirect(link)
    if notification.record_id:
        messages.info(request, _("The record of this notification is not available to you."))
    return redirect("notification_list")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    _mark_read(request, pk)
    return _changed(request)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    return _changed(request)


def _mark_read(request: HttpRequest, pk: int) -> Notification:
    try:
        return services.notification_mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc


def _changed(request: HttpRequest) -> HttpResponse:
    """HTMX: nothing to swap, the bell and lists reload themselves; else back where the
    user was."""
    if request.htmx:
        return trigger_client_event(HttpResponse(status=204), CHANGED)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    return redirect(next_url or "notification_list")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    form = NotificationSettingsForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_settings_save(user=request.user, channels=form.channels(),
                                                digest_time=form.cleaned_data["digest_time"])
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Your notification settings were saved."))
            return redirect("notification_settings")
    return render(request, "collaboration/settings.html",
                  {"form": form, "title": _("Notification settings")},
                  status=422 if form.errors else 200)


def poll_seconds() -> int:
    return max(1, int(settings.NOTIFICATION_POLL_SECONDS))

