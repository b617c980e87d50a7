"""Durable tasks in one process: enqueue with the change, retries with backoff, dead
letters, lost workers, Retry, pruning. Real processes: test_jobs_processes.py."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from amity.core.jobs import RetryPolicy, durable_task, retry_delay, retry_task
from amity.core.jobs.models import Job, JobFailure, ScheduleRun, WorkerHeartbeat
from amity.core.jobs.services import NotRetryable, prune_finished, reclaim_lost
from amity.core.tasks import ping
from amity.customers.models import Account
from tests.conftest import make_account
from tests.core import jobs_tasks
from tests.core.workers import let_backoff_pass, make_worker, run_next


def job_of(result) -> Job:
    return Job.objects.select_related("result").get(pk=result.id)


# --- enqueued with the change that causes it --------------------------------------

def test_a_rolled_back_change_leaves_no_task_and_a_committed_one_exactly_one(
    org, transactional_db
) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        make_account(org.owner, "Rolled back Ltd")
        ping.enqueue()
        raise RuntimeError("the request failed after enqueueing")
    assert not Account.objects.filter(name="Rolled back Ltd").exists()
    assert DBTaskResult.objects.count() == Job.objects.count() == 0

    with transaction.atomic():
        make_account(org.owner, "Committed Ltd")
        result = ping.enqueue()
    assert Account.objects.filter(name="Committed Ltd").exists()
    assert [str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)] == [result.id]
    assert job_of(result).state == Job.State.QUEUED

    assert run_next(make_worker())
    assert ping.get_result(result.id).return_value == "pong"
    assert not run_next(make_worker())  # run once, not again


# --- retries, backoff and the dead letter -----------------------------------------

def test_backoff_doubles_from_the_declared_wait_and_is_capped() -> None:
    waits = [retry_delay(backoff_seconds=30, attempt=n, cap_seconds=3600) for n in (1, 2, 3)]
    for wait, base in zip(waits, (30, 60, 120), strict=True):
        assert base <= wait <= base * 1.1
    assert 3600 <= retry_delay(backoff_seconds=30, attempt=60, cap_seconds=3600) <= 3960


def test_a_bad_retry_policy_is_refused_when_declared() -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        durable_task(max_attempts=0)
    with pytest.raises(ValueError, match="backoff_seconds"):
        RetryPolicy(max_attempts=3, backoff_seconds=-1)


def test_a_transient_failure_is_retried_after_its_backoff_and_then_succeeds(db) -> None:
    worker = make_worker()
    result = jobs_tasks.fails_until.enqueue(succeed_on=3)
    assert job_of(result).max_attempts == 3

    assert run_next(worker)
    job = job_of(result)
    assert (job.state, job.attempts) == (Job.State.FAILED, 1)
    failure = job.failures.get()
    assert failure.error_class == "builtins.ConnectionRefusedError"
    assert failure.message == "SMTP down (attempt 1)"
    assert "Traceback" in failure.traceback and "fails_until" in failure.traceback
    wait = (failure.next_attempt_at - failure.failed_at).total_seconds()
    assert 60 <= wait <= 66
    assert job.next_attempt_at == failure.next_attempt_at == job.result.run_after
    assert job.result.status == "READY"
    assert not run_next(worker), "tried again before its backoff passed"

    let_backoff_pass(result)
    assert run_next(worker)
    second = job_of(result).failures.get(attempt=2)
    assert 120 <= (second.next_attempt_at - second.failed_at).total_seconds() <= 132

    let_backoff_pass(result)
    assert run_next(worker)
    job = job_of(result)
    assert (job.state, job.attempts, job.next_attempt_at) == (Job.State.SUCCEEDED, 3, None)
    final = jobs_tasks.fails_until.get_result(result.id)
    assert (final.status, final.return_value) == ("SUCCESSFUL", 3)
    assert final.worker_ids == ["worker-a"] * 3


def test_after_its_last_attempt_a_task_is_dead_with_every_error_kept(db) -> None:
    worker = make_worker()
    result = jobs_tasks.always_fails.enqueue()
    for _ in range(3):
        let_backoff_pass(result)
        assert run_next(worker)
    job = job_of(result)
    assert (job.state, job.attempts, job.next_attempt_at) == (Job.State.DEAD, 3, None)
    assert job.result.status == "FAILED"
    assert job.result.exception_class_path == "builtins.RuntimeError"
    failures = list(job.failures.order_by("attempt"))
    assert [f.attempt for f in failures] == [1, 2, 3]
    assert all(f.message == jobs_tasks.NASTY for f in failures)
    assert failures[-1].next_attempt_at is None
    let_backoff_pass(result)
    assert not run_next(worker), "a dead task is not tried again by itself"


def test_a_plain_task_fails_once(db) -> None:
    result = jobs_tasks.plain_fails.enqueue()
    assert run_next(make_worker())
    job = job_of(result)
    assert (job.state, job.attempts, job.max_attempts) == (Job.State.DEAD, 1, 1)
    assert job.failures.get().message == "a plain task fails once"


def test_a_return_value_that_cannot_be_stored_is_a_failure(db) -> None:
    result = jobs_tasks.returns_unstorable.enqueue()
    assert run_next(make_worker())
    job = job_of(result)
    assert job.state == Job.State.DEAD
    assert job.failures.get().error_class == "builtins.TypeError"


# --- lost workers -----------------------------------------------------------------

def _silence(worker_id: str, seconds: int) -> None:
    """The worker's last heartbeat was `seconds` ago (it was killed then)."""
    WorkerHeartbeat.objects.filter(pk=worker_id).update(
        last_seen=timezone.now() - timedelta(seconds=seconds))


def test_a_task_on_a_silent_worker_is_put_back_as_a_new_attempt(db) -> None:
    lost, survivor = make_worker("lost"), make_worker("survivor")
    result = jobs_tasks.fails_until.enqueue(succeed_on=2)
    claimed, _ = lost.claim()  # ... and the process is killed while running it
    assert job_of(result).state == Job.State.RUNNING

    assert reclaim_lost(lease_seconds=60) == 0, "a worker within its lease keeps its task"
    _silence("lost", 61)
    assert reclaim_lost(lease_seconds=60) == 1
    job = job_of(result)
    assert (job.state, job.attempts) == (Job.State.FAILED, 1)
    failure = job.failures.get()
    assert failure.error_class == "amity.core.jobs.WorkerLost"
    assert failure.worker_id == "lost" and "lost" in failure.message
    assert reclaim_lost(lease_seconds=60) == 0

    let_backoff_pass(result)
    assert run_next(survivor)
    job = job_of(result)
    assert (job.state, job.attempts, job.worker_id) == (Job.State.SUCCEEDED, 2, "survivor")

    # The killed worker's attempt, if it ever reported back, changes nothing.
    lost.run_task(*claimed)
    job = job_of(result)
    assert (job.state, job.attempts, job.worker_id) == (Job.State.SUCCEEDED, 2, "survivor")
    assert job.failures.count() == 1


def test_a_lost_attempt_counts_against_the_attempts(db) -> None:
    lost = make_worker("lost")
    result = jobs_tasks.plain_fails.enqueue()
    lost.claim()
    WorkerHeartbeat.objects.filter(pk="lost").delete()  # pruned, or never announced
    assert reclaim_lost(lease_seconds=60) == 1
    assert job_of(result).state == Job.State.DEAD


# --- on_dead: the work a dead task was doing is marked failed ----------------------

@pytest.fixture
def gave_up():
    jobs_tasks.GAVE_UP.clear()
    yield jobs_tasks.GAVE_UP
    jobs_tasks.GAVE_UP.clear()


def test_a_task_that_dies_calls_its_on_dead_with_its_arguments_once(db, gave_up) -> None:
    worker = make_worker()
    result = jobs_tasks.fails_and_gives_up.enqueue("ส่งไม่ได้ 📮")
    assert run_next(worker)
    assert gave_up == [], "not after an attempt that will be tried again"
    let_backoff_pass(result)
    assert run_next(worker)
    assert job_of(result).state == Job.State.DEAD
    assert gave_up == [("ส่งไม่ได้ 📮", False)]


def test_on_dead_is_called_when_a_lost_worker_had_the_last_attempt(db, gave_up) -> None:
    result = jobs_tasks.fails_and_gives_up.enqueue("killed")
    assert run_next(make_worker())
    let_backoff_pass(result)
    make_worker("lost").claim()  # ... and the process is killed while running it
    WorkerHeartbeat.objects.filter(pk="lost").delete()
    assert reclaim_lost(lease_seconds=60) == 1
    assert job_of(result).state == Job.State.DEAD
    assert gave_up == [("killed", False)]


def test_a_failing_on_dead_is_logged_and_the_task_is_dead_all_the_same(
        db, gave_up, caplog) -> None:
    worker = make_worker()
    result = jobs_tasks.fails_and_gives_up.enqueue("broken", fail=True)
    for _ in range(2):
        let_backoff_pass(result)
        assert run_next(worker)
    job = job_of(result)
    assert (job.state, job.failures.count()) == (Job.State.DEAD, 2)
    assert gave_up == [("broken", True)]
    assert "its on_dead failed" in caplog.text


# --- Retry ------------------------------------------------------------------------

def test_retry_gives_a_dead_task_a_fresh_attempt_now_with_its_full_policy(org) -> None:
    worker = make_worker()
    result = jobs_tasks.fails_until.enqueue(succeed_on=4)
    for _ in range(3):
        let_backoff_pass(result)
        run_next(worker)
    assert job_of(result).state == Job.State.DEAD

    retry_task(result_id=result.id, user=org.admin)
    job = job_of(result)
    assert (job.state, job.attempts, job.max_attempts) == (Job.State.QUEUED, 3, 6)
    assert run_next(worker)  # due at once
    job = job_of(result)
    assert (job.state, job.attempts) == (Job.State.SUCCEEDED, 4)
    assert job.failures.count() == 3  # the history stays


def test_retry_runs_a_waiting_task_now(org) -> None:
    worker = make_worker()
    result = jobs_tasks.fails_until.enqueue(succeed_on=2)
    run_next(worker)
    assert not run_next(worker)
    retry_task(result_id=result.id, user=org.admin)
    assert run_next(worker)
    assert job_of(result).state == Job.State.SUCCEEDED


def test_retry_refuses_other_states_users_and_ids(org) -> None:
    result = ping.enqueue()
    with pytest.raises(NotRetryable, match="is Queued"):
        retry_task(result_id=result.id, user=org.admin)
    run_next(make_worker())
    with pytest.raises(NotRetryable):
        retry_task(result_id=result.id, user=org.admin)
    failed = jobs_tasks.plain_fails.enqueue()
    run_next(make_worker())
    with pytest.raises(PermissionDenied):
        retry_task(result_id=failed.id, user=org.owner)
    assert job_of(failed).state == Job.State.DEAD
    for junk in ("not-a-uuid", "'; DROP TABLE core_job; --",
                 "00000000-0000-0000-0000-000000000000", "ไม่มี" * 100):
        with pytest.raises(Job.DoesNotExist):
            retry_task(result_id=junk, user=org.admin)


# --- pruning ----------------------------------------------------------------------

def test_pruning_deletes_old_finished_tasks_with_their_attempts(db) -> None:
    worker = make_worker()
    old_ok, old_dead, recent = ping.enqueue(), jobs_tasks.plain_fails.enqueue(), ping.enqueue()
    for _ in range(3):
        run_next(worker)
    waiting = ping.enqueue()
    ScheduleRun.objects.create(name="nightly", slot=timezone.now() - timedelta(days=90),
                               enqueued_at=timezone.now(), result_id=old_ok.id)
    long_ago = timezone.now() - timedelta(days=31)
    Job.objects.filter(pk__in=[old_ok.id, old_dead.id]).update(changed_at=long_ago)

    assert prune_finished() == 2
    assert set(Job.objects.values_list("pk", flat=True)) == {
        DBTaskResult.objects.get(pk=recent.id).pk, DBTaskResult.objects.get(pk=waiting.id).pk}
    assert set(map(str, DBTaskResult.objects.values_list("pk", flat=True))) == {
        recent.id, waiting.id}
    assert not JobFailure.objects.exists()
    # The schedule's only (latest) slot stays: the admin page shows it as the last run.
    assert ScheduleRun.objects.get(name="nightly").result is None


def test_the_prune_job_is_declared_on_a_schedule() -> None:
    from amity.core.jobs import SCHEDULES, policy_for

    schedule = SCHEDULES["prune-task-results"]
    assert schedule.task_path == "amity.core.tasks.prune_task_results"
    assert policy_for(schedule.task_path).max_attempts == 3
