"""A task's reminder goes out once when its time comes, as an event on the task that
notifications and automation rules (tasks are a kind rules can watch) react to."""

import datetime as dt

from django.utils import timezone

from amity.activities.models import Task
from amity.activities.services import task_create, task_mark_done
from amity.activities.tasks import send_task_reminders
from amity.events.models import Event
from tests.automation.helpers import make_rule, run_queued


def test_a_reminder_is_published_once_when_due(org):
    now = timezone.now()
    due = task_create(user=org.owner, data={"title": "Call", "due_at": now,
                                            "remind_at": now - dt.timedelta(minutes=1)})
    later = task_create(user=org.owner, data={"title": "Later", "due_at": now +
                                              dt.timedelta(days=2),
                                              "remind_at": now + dt.timedelta(days=1)})
    done = task_create(user=org.owner, data={"title": "Done", "remind_at": now})
    task_mark_done(task=done, user=org.owner)
    assert send_task_reminders.call() == 1
    assert send_task_reminders.call() == 0
    events = Event.objects.filter(kind="task.reminder_due")
    assert [e.subject_id for e in events] == [due.pk]
    assert events[0].payload["title"] == "Call"
    assert Task.objects.get(pk=later.pk).reminded_at is None


def test_a_rule_on_tasks_reacts_to_a_reminder(org):
    make_rule(org.admin, kind="activities.task", event="task.reminder_due",
              actions=[{"type": "set_field", "field": "notes", "value": "ยังไม่ได้โทร"}])
    task = task_create(user=org.owner, data={"title": "Call",
                                             "remind_at": timezone.now()})
    send_task_reminders.call()
    run_queued()
    task.refresh_from_db()
    assert task.notes == "ยังไม่ได้โทร"
