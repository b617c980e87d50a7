"""Durable background tasks: how often a task may be tried, and periodic schedules.

Tasks that talk to the outside world (mail, webhooks, SMS, IMAP) are declared with
`durable_task`, which records their retry policy beside the ordinary Tasks API task.
Periodic jobs are declared in code with `periodic` and shown in the admin page."""

from collections.abc import Callable
from dataclasses import dataclass

from django_tasks import task
from django_tasks.base import Task


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    backoff_seconds: float = 30  # wait before the first retry; it doubles each time


@dataclass(frozen=True)
class Schedule:
    name: str
    cron: str  # five-field cron expression, evaluated in UTC
    task_path: str


RETRY_POLICIES: dict[str, RetryPolicy] = {}
SCHEDULES: dict[str, Schedule] = {}


def durable_task(
    *, max_attempts: int = 5, backoff_seconds: float = 30, **task_options
) -> Callable[[Callable], Task]:
    """`django_tasks.task` with a retry policy: a failure is retried with backoff."""

    def declare(func: Callable) -> Task:
        declared = task(**task_options)(func)
        RETRY_POLICIES[declared.module_path] = RetryPolicy(max_attempts, backoff_seconds)
        return declared

    return declare


def periodic(cron: str, *, name: str | None = None) -> Callable[[Task], Task]:
    """Run a task (taking no arguments) on a cron schedule."""

    def declare(declared: Task) -> Task:
        key = name or declared.module_path
        SCHEDULES[key] = Schedule(key, cron, declared.module_path)
        return declared

    return declare
