"""Task reminders: when a task's reminder time passes, a "task.reminder_due" event goes on
the task once; notifications (and automation rules on tasks) take it from there."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from amity.activities.models import Task
from amity.events.kinds import register_event_kind
from amity.events.services import publish

REMINDER_DUE = "task.reminder_due"
BATCH = 1000


def task_reminders_due(now: dt.datetime | None = None) -> int:
    """Publish the reminder of every open task whose time has come; how many. Each task
    is claimed before its event is published, so a second run sends nothing twice."""
    now = now or timezone.now()
    due = Task.objects.filter(remind_at__lte=now, reminded_at__isnull=True,
                              done_at__isnull=True).order_by("remind_at", "id")
    sent = 0
    for task in due[:BATCH]:
        with transaction.atomic():
            claimed = Task.objects.filter(pk=task.pk, reminded_at__isnull=True).update(
                reminded_at=now)
            if claimed:
                publish(subject=task, kind=REMINDER_DUE, payload={
                    "title": task.title, "owner": task.owner_id,
                    "due_at": task.due_at.isoformat() if task.due_at else None})
                sent += 1
    return sent


register_event_kind(REMINDER_DUE, gettext_lazy("Reminder due"))
