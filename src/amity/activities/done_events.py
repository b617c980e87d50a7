"""The events an activity publishes when it is done or logged: call.logged, meeting.held,
task.done, email.logged. Rep KPIs count activities from these, so each activity publishes
its event once, even if it is reopened and finished again."""

from django.utils import timezone
from django.utils.translation import gettext_lazy

from amity.activities.models import ActivityType, Task
from amity.events.kinds import register_event_kind
from amity.events.models import Event
from amity.events.services import publish

DONE_KINDS = {
    ActivityType.TASK: "task.done",
    ActivityType.CALL: "call.logged",
    ActivityType.MEETING: "meeting.held",
    ActivityType.EMAIL: "email.logged",
}


def publish_done(task: Task, actor) -> Event | None:
    """Publish the activity's done event if it is done and has not published it yet. The
    subject is the customer record the activity is about (its timeline shows it), else the
    activity itself."""
    if task.done_at is None or task.logged_at is not None:
        return None
    claimed = Task.objects.filter(pk=task.pk, logged_at__isnull=True).update(
        logged_at=timezone.now())
    if not claimed:  # published by a concurrent request
        return None
    task.logged_at = timezone.now()
    return publish(subject=task.about or task, kind=DONE_KINDS[task.type], actor=actor,
                   occurred_at=task.done_at, payload={
                       "activity": task.pk, "type": task.type, "owner": task.owner_id,
                       "title": task.title, "outcome": task.outcome,
                       "done_at": task.done_at.isoformat()})


def _describe(event: Event) -> str:
    payload = event.payload or {}
    outcome = payload.get("outcome")
    title = payload.get("title") or ""
    return f"{title} · {outcome}" if outcome else title


for _kind, _label in (
    ("task.done", gettext_lazy("Task done")), ("call.logged", gettext_lazy("Call logged")),
    ("meeting.held", gettext_lazy("Meeting held")),
    ("email.logged", gettext_lazy("Email logged")),
):
    register_event_kind(_kind, _label, _describe)
