"""Operations on activities. Each goes through the shared record services (gate, history,
events), then does what activities add: meeting participants, the done event KPIs count,
and the next occurrence of a repeating task."""

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amity.activities.done_events import publish_done
from amity.activities.models import ActivityType, Task
from amity.activities.recurrence import occurrence_at
from amity.core.services import record_assign, record_create, record_update
from amity.customers.models import Contact
from amity.org.models import User

PEOPLE = ("participants", "participant_contacts")


def activity_create(*, user, data: dict[str, Any]) -> Task:
    """Create an activity owned by `user`: a task, call, meeting or email (type), with its
    times, record link and (for meetings) participants; a logged one (done_at given)
    publishes its done event."""
    _check_times(data)
    fields, people = _split_people(data)
    with transaction.atomic():
        task = record_create(model=Task, user=user, data=fields)
        _set_people(task, user, people)
        if task.recurrence:
            Task.objects.filter(pk=task.pk).update(series=_new_series(),
                                                   series_start=task.due_at)
            task.refresh_from_db()
        if task.done_at is not None:
            publish_done(task, user)
            _create_next(task, user)
    return task


def activity_update(*, task: Task, user, data: dict[str, Any],
                    version: int | None = None) -> Task:
    """Change an activity the user may edit; setting done_at works like activity_mark_done."""
    _check_times(data)
    fields, people = _split_people(data)
    with transaction.atomic():
        was_open = task.done_at is None
        task = record_update(record=task, user=user, data=fields, version=version)
        _set_people(task, user, people)
        if task.recurrence and task.series is None:
            Task.objects.filter(pk=task.pk).update(series=_new_series(),
                                                   series_start=task.due_at)
            task.refresh_from_db()
        if was_open and task.done_at is not None:
            publish_done(task, user)
            _create_next(task, user)
    return task


def activity_mark_done(*, task: Task, user, outcome: str | None = None) -> Task:
    """Mark an activity done now (again: no change); a repeating task gets its next
    occurrence, once however often this is called."""
    with transaction.atomic():
        # Locked: two clicks on "done" at once make one next occurrence, not two.
        task = Task.objects.select_for_update().get(pk=task.pk)
        if task.done_at is not None:
            return task
        data: dict[str, Any] = {"done_at": timezone.now()}
        if outcome is not None:
            data["outcome"] = outcome
        task = record_update(record=task, user=user, data=data)
        publish_done(task, user)
        _create_next(task, user)
    return task


def activity_reopen(*, task: Task, user) -> Task:
    """Open a done activity again."""
    if task.done_at is None:
        return task
    return record_update(record=task, user=user, data={"done_at": None})


# The names the task pages, API and automation have always used.
task_create = activity_create
task_mark_done = activity_mark_done
task_reopen = activity_reopen


def _new_series() -> uuid.UUID:
    return uuid.uuid4()


def _check_times(data: dict[str, Any]) -> None:
    """An end and a duration given together must agree (the model derives one from the
    other when only one is given)."""
    start, end, minutes = data.get("due_at"), data.get("ends_at"), data.get("duration_minutes")
    if start and end and minutes is not None and end >= start \
            and int((end - start).total_seconds() // 60) != minutes:
        raise ValidationError({"duration_minutes": [_(
            "The duration does not match the start and end times; give one or the other.")]})


def _split_people(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list]]:
    fields = {k: v for k, v in data.items() if k not in PEOPLE}
    people = {k: list(v or []) for k, v in data.items() if k in PEOPLE}
    return fields, people


def _set_people(task: Task, user, people: dict[str, list]) -> None:
    """Meeting participants: active users, and contacts the user may see."""
    if not people:
        return
    if any(people.values()) and task.type != ActivityType.MEETING:
        raise ValidationError({"participants": [_("Only meetings have participants.")]})
    if "participants" in people:
        task.participants.set(_active_users(people["participants"]))
    if "participant_contacts" in people:
        task.participant_contacts.set(_visible_contacts(user, people["participant_contacts"]))


def _ids(values: Iterable) -> set[int]:
    return {getattr(value, "pk", value) for value in values}


def _active_users(values: list) -> list[User]:
    ids = _ids(values)
    users = list(User.objects.filter(pk__in=ids, is_active=True))
    if len(users) != len(ids):
        raise ValidationError({"participants": [_("Select active users.")]})
    return users


def _visible_contacts(user, values: list) -> list[Contact]:
    ids = _ids(values)
    contacts = list(Contact.objects.visible_to(user).filter(pk__in=ids))
    if len(contacts) != len(ids):
        raise ValidationError({"participant_contacts": [_("Select a valid choice.")]})
    return contacts


def _create_next(task: Task, user) -> Task | None:
    """The next occurrence of a repeating task, unless the series ended or it exists."""
    if not task.recurrence or task.series is None:
        return None
    number = task.occurrence + 1
    if Task.all_objects.filter(series=task.series, occurrence=number).exists():
        return None
    due = occurrence_at(task.recurrence, start=task.series_start or task.due_at, index=number,
                        time_zone=task.owner.time_zone)
    if due is None:
        return None
    shift = due - task.due_at if task.due_at else None
    data = {"type": task.type, "title": task.title, "notes": task.notes, "due_at": due,
            "recurrence": task.recurrence, "remind_at": task.remind_at + shift
            if task.remind_at and shift is not None else None}
    for name in ("account", "contact", "opportunity", "lead"):
        if getattr(task, f"{name}_id"):
            data[name] = getattr(task, name)
    following = record_create(model=Task, user=user, data=data)
    Task.objects.filter(pk=following.pk).update(series=task.series, occurrence=number,
                                                series_start=task.series_start)
    following.refresh_from_db()
    if following.owner_id != task.owner_id:
        record_assign(record=following, user=user, owner=task.owner, team=task.team)
    return following
