"""Reads of activities: open ones about a record, a user's agenda and calendar range, and
the latest contact another rep had with a customer (the "no duplicated effort" hint)."""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import models
from django.utils import timezone

from amity.activities.models import Task

OPEN_ORDER = (models.F("due_at").asc(nulls_last=True), "id")
LINKS = {"account": "account", "contact": "contact", "opportunity": "opportunity",
         "lead": "lead"}


def open_tasks(*, user) -> models.QuerySet:
    """The user's own open activities, soonest first (undated last)."""
    return (Task.objects.visible_to(user).filter(owner=user, done_at__isnull=True)
            .select_related("account", "contact", "opportunity", "lead").order_by(*OPEN_ORDER))


def open_tasks_about(*, record: models.Model, user) -> models.QuerySet:
    """The open activities about an account, contact, opportunity or lead that the user
    may see."""
    link = LINKS.get(record._meta.model_name)
    if link is None:
        return Task.objects.none()
    return (Task.objects.visible_to(user).filter(**{link: record}, done_at__isnull=True)
            .select_related("owner").order_by(*OPEN_ORDER))


def done_about(*, record: models.Model, user, limit: int = 5) -> list[Task]:
    """The latest done or logged activities about the record that the user may see."""
    link = LINKS.get(record._meta.model_name)
    if link is None:
        return []
    return list(Task.objects.visible_to(user).filter(**{link: record}, done_at__isnull=False)
                .select_related("owner").order_by("-done_at", "-id")[:limit])


def mine(user) -> models.Q:
    """Activities the user owns or takes part in."""
    attending = Task.participants.through.objects.filter(user=user).values("task_id")
    return models.Q(owner=user) | models.Q(pk__in=attending)


def activities_between(*, user, start: dt.datetime, end: dt.datetime) -> models.QuerySet:
    """The user's activities (owned or attended, and visible) timed in [start, end)."""
    return (Task.objects.visible_to(user).filter(mine(user), due_at__gte=start, due_at__lt=end)
            .select_related("account", "contact", "opportunity", "lead")
            .order_by("due_at", "id"))


def agenda(*, user, now: dt.datetime | None = None) -> dict[str, list[Task]]:
    """The user's open activities: overdue (before today), today, and the next 7 days, by
    the user's own time zone (an API call has no active one)."""
    now = now or timezone.now()
    zone = zoneinfo.ZoneInfo(user.time_zone or "UTC")
    today = now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    tomorrow = _local_midnight(today, 1)
    week_end = _local_midnight(today, 8)
    open_mine = (Task.objects.visible_to(user).filter(mine(user), done_at__isnull=True)
                 .select_related("account", "contact", "opportunity", "lead"))
    ordered = open_mine.order_by("due_at", "id")
    return {
        "overdue": list(ordered.filter(due_at__lt=today)[:200]),
        "today": list(ordered.filter(due_at__gte=today, due_at__lt=tomorrow)[:200]),
        "next_days": list(ordered.filter(due_at__gte=tomorrow, due_at__lt=week_end)[:200]),
    }


def _local_midnight(day: dt.datetime, days: int) -> dt.datetime:
    """Midnight `days` after `day` in its zone (a DST day has 23 or 25 hours)."""
    date = day.date() + dt.timedelta(days=days)
    return dt.datetime.combine(date, dt.time(), tzinfo=day.tzinfo)


def _customer_q(record: models.Model) -> models.Q | None:
    """Activities with this customer: about the record, and for an account also about its
    contacts and opportunities, for a contact also meetings it attended."""
    name = record._meta.model_name
    if name not in LINKS:
        return None
    q = models.Q(**{LINKS[name]: record})
    if name == "account":
        q |= models.Q(contact__account=record) | models.Q(opportunity__account=record)
    elif name == "contact":
        attended = Task.participant_contacts.through.objects.filter(
            contact=record).values("task_id")
        q |= models.Q(pk__in=attended) | models.Q(opportunity__contact=record)
    elif name == "opportunity" and record.account_id:
        q |= models.Q(account_id=record.account_id)
    return q


def recent_contact(*, record: models.Model, user, now: dt.datetime | None = None) -> Task | None:
    """The latest activity another rep did or logged with this customer in the last
    AMITY_RECENT_CONTACT_DAYS days, among the activities `user` may see (one they may not
    see is not revealed, not even as "someone")."""
    q = _customer_q(record)
    if q is None:
        return None
    now = now or timezone.now()
    since = now - dt.timedelta(days=settings.AMITY_RECENT_CONTACT_DAYS)
    return (Task.objects.visible_to(user).filter(q, done_at__gte=since, done_at__lte=now)
            .exclude(owner=user).select_related("owner").order_by("-done_at", "-id").first())
