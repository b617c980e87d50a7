"""Helpers for notification tests: the tasks notify() enqueued, and running them as a
worker would (the queue is the database, so they are rows until run)."""

from django_tasks_db.models import DBTaskResult

from amity.collaboration.services import notification_settings_save


def queued(task) -> list[list]:
    """The arguments of each waiting run of `task`, oldest first."""
    rows = DBTaskResult.objects.filter(task_path=task.module_path, status="READY")
    return [row.args_kwargs["args"] for row in rows.order_by("enqueued_at")]


def run_queued(task) -> list:
    """Run each waiting run of `task` (as the worker would) and return their results."""
    return [task.call(*args) for args in queued(task)]


def choose(user, **channels) -> None:
    notification_settings_save(user=user, channels=channels)
