"""Changes of a task's state, each in one transaction with django-tasks-db's result row:
claim, success, failure (retry later or dead), a lost worker, an administrator's Retry,
and pruning of old finished tasks."""

import logging
import traceback as tracebacks
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from amity.core.jobs import policy_for, retry_delay
from amity.core.jobs.heartbeats import live_workers
from amity.core.jobs.models import Job, JobFailure, ScheduleRun, WorkerHeartbeat

logger = logging.getLogger(__name__)

MESSAGE_LIMIT = 2_000
TRACEBACK_LIMIT = 64_000
WORKER_LOST = "amity.core.jobs.WorkerLost"
PRUNE_CHUNK = 1_000


class NotRetryable(Exception):
    """Retry was asked for a task that is not failed or dead."""


def claim_next(*, tasks: QuerySet, worker_id: str) -> tuple[DBTaskResult, int] | None:
    """Take the next ready task for this worker; returns it with its attempt number.

    SKIP LOCKED on PostgreSQL, an exclusive transaction on SQLite: two workers never
    take the same row."""
    with exclusive_transaction(tasks.db):
        result = tasks.get_locked()
        if result is None:
            return None
        result.claim(worker_id)
        attempt = len(result.worker_ids)  # every claim appends its worker: a lost try counts
        changed = Job.objects.filter(pk=result.pk).update(
            state=Job.State.RUNNING, attempts=attempt, worker_id=worker_id,
            changed_at=result.started_at, next_attempt_at=None)
        if not changed:  # enqueued by another backend or before this table existed
            policy = policy_for(result.task_path)
            Job.objects.create(result=result, state=Job.State.RUNNING, attempts=attempt,
                               worker_id=worker_id, changed_at=result.started_at,
                               max_attempts=policy.max_attempts,
                               backoff_seconds=policy.backoff_seconds)
    return result, attempt


def _ours(result_id, attempt: int, worker_id: str) -> QuerySet:
    """The job, if this attempt by this worker is still the current one."""
    return Job.objects.filter(pk=result_id, state=Job.State.RUNNING, attempts=attempt,
                              worker_id=worker_id)


def finish_success(*, result: DBTaskResult, attempt: int, worker_id: str,
                   return_value) -> bool:
    """Record success (on `result` too, which then needs no reading back); False when the
    attempt had been taken for lost meanwhile."""
    now = timezone.now()
    finished = {"status": "SUCCESSFUL", "finished_at": now, "return_value": return_value,
                "exception_class_path": "", "traceback": ""}
    with transaction.atomic():
        if not _ours(result.pk, attempt, worker_id).update(state=Job.State.SUCCEEDED,
                                                           changed_at=now):
            logger.warning("task %s: attempt %s finished after its worker was taken for "
                           "dead; its outcome is dropped", result.pk, attempt)
            return False
        DBTaskResult.objects.filter(pk=result.pk).update(**finished)
    for name, value in finished.items():
        setattr(result, name, value)
    return True


def finish_failure(*, result: DBTaskResult, attempt: int, worker_id: str,
                   error: BaseException) -> Job | None:
    """Record a failed attempt: the task waits for its next try, or is dead."""
    error_class = f"{type(error).__module__}.{type(error).__qualname__}"
    with transaction.atomic():
        job = _ours(result.pk, attempt, worker_id).select_for_update().first()
        if job is None:
            logger.warning("task %s: attempt %s failed after its worker was taken for dead",
                           result.pk, attempt)
            return None
        _fail(job, attempt=attempt, started_at=result.started_at, error_class=error_class,
              message=str(error), traceback="".join(tracebacks.format_exception(error)))
    return job


def _fail(job: Job, *, attempt: int, started_at: datetime | None, error_class: str,
          message: str, traceback: str) -> None:
    now = timezone.now()
    retry = job.attempts < job.max_attempts
    next_at = now + timedelta(seconds=retry_delay(
        backoff_seconds=job.backoff_seconds, attempt=attempt,
        cap_seconds=settings.TASK_MAX_BACKOFF_SECONDS)) if retry else None
    JobFailure.objects.create(
        job=job, attempt=attempt, worker_id=job.worker_id, started_at=started_at,
        failed_at=now, error_class=error_class[:255], message=message[:MESSAGE_LIMIT],
        traceback=traceback[-TRACEBACK_LIMIT:], next_attempt_at=next_at)
    job.state = Job.State.FAILED if retry else Job.State.DEAD
    job.next_attempt_at, job.changed_at = next_at, now
    job.save(update_fields=["state", "next_attempt_at", "changed_at"])
    DBTaskResult.objects.filter(pk=job.pk).update(
        status="READY" if retry else "FAILED", run_after=next_at or now,
        finished_at=None if retry else now, return_value=None,
        exception_class_path=error_class, traceback=traceback[-TRACEBACK_LIMIT:])
    if not retry:
        _on_dead(job)


def _on_dead(job: Job) -> None:
    """Call the dead task's `on_dead` with its arguments, in a savepoint: if it fails, that
    is logged and the task is dead all the same."""
    result = DBTaskResult.objects.get(pk=job.pk)
    on_dead = policy_for(result.task_path).on_dead
    if on_dead is None:
        return
    try:
        with transaction.atomic():
            on_dead(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
    except Exception:
        logger.exception("task %s: its on_dead failed", job.pk)


def reclaim_lost(*, lease_seconds: float | None = None, limit: int = 100) -> int:
    """Put back the tasks running on workers whose heartbeat is older than the lease,
    each as a failed attempt (it may be retried, or be dead). Returns how many."""
    live = live_workers(lease_seconds).values("worker_id")
    candidates = list(Job.objects.filter(state=Job.State.RUNNING).exclude(worker_id__in=live)
                      .values_list("pk", "attempts", "worker_id")[:limit])
    reclaimed = 0
    for pk, attempt, worker_id in candidates:
        with exclusive_transaction(Job.objects.db):
            job = (_ours(pk, attempt, worker_id).select_for_update(skip_locked=True)
                   .exclude(worker_id__in=live).first())
            if job is None:  # finished, or reclaimed by another worker, meanwhile
                continue
            started_at = DBTaskResult.objects.filter(pk=pk).values_list("started_at",
                                                                        flat=True).first()
            _fail(job, attempt=attempt, started_at=started_at, error_class=WORKER_LOST,
                  message=f"worker {worker_id} stopped sending heartbeats during this attempt",
                  traceback="")
            reclaimed += 1
            logger.warning("task %s: worker %s was lost during attempt %s", pk, worker_id,
                           attempt)
    return reclaimed


def retry_task(*, result_id: str, user) -> Job:
    """Give a failed or dead task a fresh attempt now, with its full retry policy again;
    its earlier attempts stay in its history. Administrators only."""
    if not getattr(user, "is_administrator", False):
        raise PermissionDenied
    try:
        with transaction.atomic():
            # The result row first, as a worker's claim locks it: no deadlock with a
            # worker claiming this task right now (then it is running, not retried).
            DBTaskResult.objects.select_for_update().filter(pk=result_id).first()
            job = Job.objects.select_for_update().select_related("result").get(pk=result_id)
            if job.state not in (Job.State.FAILED, Job.State.DEAD):
                raise NotRetryable(_("Only failed or dead tasks can be retried; this task "
                                     "is %(state)s.") % {"state": job.get_state_display()})
            now = timezone.now()
            job.max_attempts = job.attempts + policy_for(job.result.task_path).max_attempts
            job.state, job.next_attempt_at, job.changed_at = Job.State.QUEUED, None, now
            job.save(update_fields=["max_attempts", "state", "next_attempt_at", "changed_at"])
            DBTaskResult.objects.filter(pk=job.pk).update(status="READY", run_after=now,
                                                          finished_at=None)
    except ValidationError as exc:  # not a UUID at all
        raise Job.DoesNotExist(result_id) from exc
    logger.info("task %s: retried by %s", job.pk, user)
    return job


def prune_finished(*, older_than: timedelta | None = None) -> int:
    """Delete succeeded and dead tasks finished before the retention, with their
    attempts; also long-gone workers and old schedule slots. Returns the tasks deleted."""
    retention = older_than or timedelta(days=settings.TASK_RETENTION_DAYS)
    cutoff = timezone.now() - retention
    deleted = 0
    old = Job.objects.filter(state__in=[Job.State.SUCCEEDED, Job.State.DEAD],
                             changed_at__lt=cutoff)
    while ids := list(old.values_list("pk", flat=True)[:PRUNE_CHUNK]):
        with transaction.atomic():
            JobFailure.objects.filter(job__in=ids).delete()
            ScheduleRun.objects.filter(result__in=ids).update(result=None)
            Job.objects.filter(pk__in=ids).delete()
            DBTaskResult.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
    WorkerHeartbeat.objects.filter(last_seen__lt=timezone.now() - timedelta(days=1)).delete()
    # Keep each schedule's latest slot: the admin page shows it as the last run.
    for name, latest in ScheduleRun.objects.values_list("name").annotate(latest=Max("slot")):
        ScheduleRun.objects.filter(name=name, slot__lt=min(latest, cutoff)).delete()
    return deleted
