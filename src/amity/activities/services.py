"""Operations on tasks; each goes through the shared record services (gate, history, events)."""

from typing import Any

from django.utils import timezone

from amity.activities.models import Task
from amity.core.services import record_create, record_update


def task_create(*, user, data: dict[str, Any]) -> Task:
    """Create a task owned by `user` (title, due_at, remind_at, notes, account or contact)."""
    return record_create(model=Task, user=user, data=data)


def task_mark_done(*, task: Task, user) -> Task:
    """Mark a task done now (again: no change)."""
    if task.done_at is not None:
        return task
    return record_update(record=task, user=user, data={"done_at": timezone.now()})


def task_reopen(*, task: Task, user) -> Task:
    """Open a done task again."""
    if task.done_at is None:
        return task
    return record_update(record=task, user=user, data={"done_at": None})
