"""Workers as real processes: one killed mid-task, two sharing the queue.

On PostgreSQL the processes use the test database (committed data: transactional_db);
on SQLite a fresh data directory, migrated by `amity migrate`."""

import signal
from pathlib import Path

import pytest

from tests.processes import django_script, read_lines, start_worker, stop, wait_for

pytestmark = pytest.mark.xdist_group("processes")

ENQUEUE_BLOCKING = """
import json, sys
from tests.core.jobs_tasks import blocks_first_attempt
print(json.dumps(blocks_first_attempt.enqueue(sys.argv[1]).id))
"""

ENQUEUE_RECORDS = """
import sys
from django.db import transaction
from tests.core.jobs_tasks import record_run
log, barrier, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
with transaction.atomic():
    for number in range(count):
        record_run.enqueue(log, number, barrier)
"""

# argv: result id. Waits (bounded) until the task finished; prints what the page shows.
OUTCOME = """
import json, sys, time
from django_tasks_db.models import DBTaskResult
from amity.core.jobs.models import Job
deadline = time.monotonic() + 120
while DBTaskResult.objects.get(pk=sys.argv[1]).status not in ("SUCCESSFUL", "FAILED"):
    assert time.monotonic() < deadline, "the task never finished"
    time.sleep(0.2)
job = Job.objects.select_related("result").get(pk=sys.argv[1])
print(json.dumps({"status": job.result.status, "state": job.state, "attempts": job.attempts,
                  "failures": [f.error_class for f in job.failures.order_by("attempt")],
                  "workers": job.result.worker_ids}))
"""

HEARTBEATS = """
import json
from amity.core.jobs.models import WorkerHeartbeat
print(json.dumps(sorted(WorkerHeartbeat.objects.values_list("pid", flat=True))))
"""

RECORDS_REPORT = """
import json
from collections import Counter
from amity.core.jobs.models import Job
jobs = Job.objects.filter(result__task_path="tests.core.jobs_tasks.record_run")
print(json.dumps({"states": Counter(jobs.values_list("state", flat=True)),
                  "attempts": Counter(jobs.values_list("attempts", flat=True))}))
"""


def test_a_task_of_a_killed_worker_runs_again_exactly_once(process_env, tmp_path: Path) -> None:
    runs = tmp_path / "runs.jsonl"
    result_id = django_script(process_env, ENQUEUE_BLOCKING, str(runs))
    first = start_worker(process_env, tmp_path / "first.log")
    second = None
    try:
        wait_for(lambda: read_lines(runs), "the first worker to start the task")
        first.send_signal(signal.SIGKILL)  # no clean-up: its task stays RUNNING
        first.wait()
        second = start_worker(process_env, tmp_path / "second.log",
                              AMITY_WORKER_LEASE_SECONDS="2")
        outcome = django_script(process_env, OUTCOME, result_id)
        assert stop(second) == 0
    finally:
        for process in (first, second):
            if process is not None:
                stop(process)
    log = (tmp_path / "first.log").read_text() + (tmp_path / "second.log").read_text()

    assert read_lines(runs) == [
        {"event": "start", "attempt": 1, "pid": first.pid},
        {"event": "start", "attempt": 2, "pid": second.pid},
        {"event": "done", "attempt": 2, "pid": second.pid},
    ], log
    assert outcome["status"] == "SUCCESSFUL" and outcome["state"] == "succeeded", outcome
    assert outcome["attempts"] == 2
    assert outcome["failures"] == ["amity.core.jobs.WorkerLost"]
    assert len(set(outcome["workers"])) == 2
    # The killed worker left its (stale) heartbeat; the one stopped cleanly removed its own.
    assert django_script(process_env, HEARTBEATS) == [first.pid]


def test_two_workers_share_the_queue_and_run_each_task_once(process_env, tmp_path: Path) -> None:
    count = 200
    runs, barrier = tmp_path / "runs.jsonl", tmp_path / "barrier"
    barrier.mkdir()
    django_script(process_env, ENQUEUE_RECORDS, str(runs), str(barrier), str(count))
    workers = [start_worker(process_env, tmp_path / f"worker{n}.log", "--batch")
               for n in (1, 2)]
    try:
        codes = [worker.wait(timeout=240) for worker in workers]
    finally:
        for worker in workers:
            stop(worker)
    logs = "".join((tmp_path / f"worker{n}.log").read_text() for n in (1, 2))
    assert codes == [0, 0], logs

    lines = read_lines(runs)
    assert sorted(line["number"] for line in lines) == list(range(count)), logs
    # Tasks 0 and 1 waited for each other: both workers ran tasks at the same time.
    assert {line["pid"] for line in lines} == {worker.pid for worker in workers}
    report = django_script(process_env, RECORDS_REPORT)
    assert report == {"states": {"succeeded": count}, "attempts": {"1": count}}, logs
    assert "Traceback" not in logs and "database is locked" not in logs, logs
