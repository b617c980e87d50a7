"""Durable background tasks: retries with backoff, a dead-letter state, lost workers,
and periodic (cron) schedules, on top of django-tasks and its database backend.

Declaring work:

    @durable_task(max_attempts=5, backoff_seconds=30)
    def deliver_webhook(delivery_id: int) -> None: ...

    @periodic("*/5 * * * *")
    @durable_task()
    def poll_mailboxes() -> None: ...

A durable task that raises is tried again after `backoff_seconds`, then twice that, four
times that... (capped by `TASK_MAX_BACKOFF_SECONDS`, plus up to 10 % jitter); after its
last attempt it is *dead* and waits for an administrator's Retry (Admin > Background
tasks); its `on_dead(*args, **kwargs)`, if given, then marks the work it was doing as
failed, so a message whose tries a lost worker used up does not stay "sending". A plain
`django_tasks.task` is tried once. A task left running by a worker that stopped sending
heartbeats (killed, machine lost) is put back as a new attempt.

Enqueue inside the transaction of the change that causes the work: the queue is a table
of the same database, so `transaction.atomic()` that rolls back leaves no task and one
that commits leaves exactly one (tests/core/test_jobs.py proves both). Tasks take ids,
not objects, and are idempotent: a lost worker means the task may run again, from the
start. The design and its exactly-once limits: docs/decisions/0009-durable-tasks.md."""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cronsim import CronSim, CronSimError
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    backoff_seconds: float = 30  # wait before the first retry; it doubles each time
    # Called with the task's arguments, in the transaction that makes the task dead.
    on_dead: Callable[..., None] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.max_attempts, int) or self.max_attempts < 1:
            raise ValueError(f"max_attempts must be a whole number of 1 or more, "
                             f"not {self.max_attempts!r}")
        if not 0 <= self.backoff_seconds <= 7 * 24 * 3600:
            raise ValueError(f"backoff_seconds must be between 0 and one week, "
                             f"not {self.backoff_seconds!r}")


def retry_delay(*, backoff_seconds: float, attempt: int, cap_seconds: float) -> float:
    """Seconds to wait after failed attempt number `attempt` (1 for the first): B, 2B,
    4B... capped, plus up to 10 % jitter so retries of one outage do not arrive together."""
    base = min(backoff_seconds * 2 ** min(attempt - 1, 40), cap_seconds)
    return base * (1 + random.random() / 10)


@dataclass(frozen=True)
class Schedule:
    name: str
    cron: str  # five-field cron expression, evaluated in UTC
    task_path: str

    def next_after(self, moment: datetime) -> datetime:
        """The first time this schedule is due strictly after `moment`."""
        return next(CronSim(self.cron, moment.astimezone(UTC)))

    def latest_until(self, moment: datetime) -> datetime:
        """The last time this schedule was due at or before `moment` (minute precision)."""
        minute = moment.astimezone(UTC).replace(second=0, microsecond=0)
        return next(CronSim(self.cron, minute + timedelta(seconds=1), reverse=True))


PLAIN_POLICY = RetryPolicy(max_attempts=1, backoff_seconds=0)
RETRY_POLICIES: dict[str, RetryPolicy] = {}
SCHEDULES: dict[str, Schedule] = {}


def policy_for(task_path: str) -> RetryPolicy:
    """The retry policy of a task: its `durable_task` declaration, else one attempt."""
    return RETRY_POLICIES.get(task_path, PLAIN_POLICY)


def durable_task(
    *, max_attempts: int = 5, backoff_seconds: float = 30,
    on_dead: Callable[..., None] | None = None, **task_options
) -> Callable[[Callable], Task]:
    """`django_tasks.task` with a retry policy: a failure is retried with backoff; after
    the last one `on_dead` is called with the task's arguments."""
    policy = RetryPolicy(max_attempts, backoff_seconds, on_dead)

    def declare(func: Callable) -> Task:
        declared = task(**task_options)(func)
        RETRY_POLICIES[declared.module_path] = policy
        return declared

    return declare


def periodic(cron: str, *, name: str | None = None) -> Callable[[Task], Task]:
    """Run a task (taking no arguments) on a cron schedule, evaluated in UTC."""
    try:
        CronSim(cron, timezone.now())
    except CronSimError as exc:
        raise ValueError(f"periodic: {cron!r} is not a valid cron expression ({exc})") from exc

    def declare(declared: Task) -> Task:
        if not isinstance(declared, Task):
            raise TypeError("periodic() goes above @task or @durable_task, not on a function")
        key = name or declared.module_path
        if len(key) > 200:
            raise ValueError(f"periodic: the name {key[:40]!r}... is longer than 200 characters")
        SCHEDULES[key] = Schedule(key, cron, declared.module_path)
        return declared

    return declare


def retry_task(*, result_id: str, user) -> None:
    """Give a failed or dead task a fresh attempt now (administrators only)."""
    from amity.core.jobs.services import retry_task as retry

    retry(result_id=result_id, user=user)
