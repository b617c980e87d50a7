"""Calendar feeds: each user may have one secret link that calendar clients subscribe to
(read-only). The token is shown once when made; only its hash is stored, so a leaked
database does not leak the links. Revoking (or making a new link) ends the old one."""

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from icalendar import Calendar, Event, Todo

from amity.activities.models import ActivityType, CalendarFeed, Task
from amity.activities.selectors import mine
from amity.org.models import User

PAST_DAYS, FUTURE_DAYS, MAX_ITEMS = 90, 400, 2000


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_create(*, user) -> str:
    """A new secret feed token for `user` (any earlier link stops working)."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user).delete()
        CalendarFeed.objects.create(user=user, token_hash=_hash(token), hint=token[:6])
    return token


def feed_revoke(*, user) -> bool:
    """End the user's feed link; whether there was one."""
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def feed_user(token: str) -> User | None:
    """The active user a feed token belongs to, or None."""
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=_hash(token)).first()
    return feed.user if feed and feed.user.is_active else None


def feed_activities(user, now: dt.datetime | None = None) -> QuerySet:
    """What the feed holds: the user's activities (owned or attended, and visible) from 90
    days back to 400 days ahead, and their open undated tasks."""
    now = now or timezone.now()
    window = (Task.objects.visible_to(user).filter(mine(user))
              .filter(due_at__gte=now - dt.timedelta(days=PAST_DAYS),
                      due_at__lt=now + dt.timedelta(days=FUTURE_DAYS))
              | Task.objects.visible_to(user).filter(owner=user, due_at__isnull=True,
                                                     done_at__isnull=True))
    return window.select_related("account", "contact", "opportunity", "lead") \
        .order_by("due_at", "id")[:MAX_ITEMS]


def feed_ics(user, *, base_url: str, product: str = "-//Amity CRM//Activities//EN") -> bytes:
    """The user's activities as an iCalendar file: meetings, calls and emails as events,
    tasks as to-dos."""
    cal = Calendar()
    cal.add("prodid", product)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Amity · {user}")
    for task in feed_activities(user):
        cal.add_component(_component(task, base_url))
    return cal.to_ical()


def _component(task: Task, base_url: str) -> Event | Todo:
    item = Todo() if task.type == ActivityType.TASK else Event()
    item.add("uid", f"amity-activity-{task.pk}@{base_url.split('//')[-1].split('/')[0]}")
    item.add("dtstamp", task.updated_at)
    item.add("summary", task.title)
    item.add("url", base_url.rstrip("/") + task.get_absolute_url())
    item.add("categories", [task.get_type_display()])
    if task.notes:
        item.add("description", task.notes)
    if task.about is not None:
        item.add("location" if task.type == ActivityType.MEETING else "comment", str(task.about))
    if task.type == ActivityType.TASK:
        if task.due_at:
            item.add("due", task.due_at)
        item.add("status", "COMPLETED" if task.done_at else "NEEDS-ACTION")
        if task.done_at:
            item.add("completed", task.done_at)
    else:
        start = task.due_at or task.created_at
        item.add("dtstart", start)
        item.add("dtend", task.ends_at or start + dt.timedelta(minutes=task.duration_minutes or 30))
        item.add("status", "CONFIRMED")
    return item
