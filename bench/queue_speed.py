"""Task queue throughput: no-op tasks per second drained by 1 and 2 `amity worker`
processes on PostgreSQL, against the limits measured in the same run.

Each run: start the workers on an empty queue and wait for their heartbeats (so
interpreter start-up is not timed), enqueue N `ping` tasks in one transaction, and time
from its commit until the last task finished. The limits:

- plain INSERT loop: the rows one enqueue writes (the task result and its job row),
  inserted N times by a loop of raw INSERTs on one connection, one transaction;
- plain claim loop: one process claiming with `UPDATE … WHERE id = (SELECT … FOR UPDATE
  SKIP LOCKED)` and finishing each task with a second UPDATE, raw SQL, no Python work.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/amity_bench_queue \
        .venv/bin/python bench/queue_speed.py [--tasks 20000] [--runs 3]

Use a database of its own: the task tables are emptied before each measurement.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amity.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from amity.core.jobs.models import Job, WorkerHeartbeat  # noqa: E402
from amity.core.tasks import ping  # noqa: E402

AMITY = str(Path(sys.executable).with_name("amity"))
TABLES = ("core_jobfailure, core_schedulerun, core_job, core_workerheartbeat, "
          "django_tasks_database_dbtaskresult")


def empty_queue() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLES}")
        cursor.execute(f"ANALYZE {TABLES}")


def wait(condition, what: str, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            sys.exit(f"gave up waiting for {what}")
        time.sleep(0.05)


def drain(tasks: int, workers: int) -> tuple[float, float]:
    """Seconds to enqueue `tasks` pings, and seconds for `workers` processes to drain them."""
    empty_queue()
    processes = [subprocess.Popen([AMITY, "worker", "--no-scheduler", "--interval", "0.05",
                                   "--verbosity", "0"], stdout=subprocess.DEVNULL)
                 for _ in range(workers)]
    try:
        wait(lambda: WorkerHeartbeat.objects.count() == workers, "the workers to start")
        started = time.perf_counter()
        with transaction.atomic():
            for _ in range(tasks):
                ping.enqueue()
        committed_at = timezone.now()
        enqueue_seconds = time.perf_counter() - started
        unfinished = Job.objects.filter(state__in=[Job.State.QUEUED, Job.State.RUNNING])
        wait(lambda: not unfinished.exists(), "the queue to drain")
        last = DBTaskResult.objects.aggregate(t=Max("finished_at"))["t"]
        failed = Job.objects.exclude(state=Job.State.SUCCEEDED).count()
        if failed:
            sys.exit(f"{failed} tasks did not succeed")
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)
    return enqueue_seconds, (last - committed_at).total_seconds()


def _template_rows() -> list[tuple[str, list[str], list]]:
    """(table, columns, values) of the two rows one enqueue writes, taken from a real one."""
    empty_queue()
    result_id = ping.enqueue().id
    rows = []
    for model, pk in ((DBTaskResult, result_id), (Job, result_id)):
        obj = model.objects.get(pk=pk)
        fields = model._meta.concrete_fields
        rows.append((model._meta.db_table, [f.column for f in fields],
                     [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]))
    empty_queue()
    return rows


def plain_inserts(tasks: int) -> float:
    """Seconds for a raw loop of the same INSERTs (new ids), one transaction."""
    rows = _template_rows()
    statements = [(f"INSERT INTO {table} ({', '.join(columns)}) "
                   f"VALUES ({', '.join(['%s'] * len(columns))})", columns, values)
                  for table, columns, values in rows]
    raw = connection.connection  # psycopg, no Django in the loop
    with transaction.atomic():
        cursor = raw.cursor()
        started = time.perf_counter()
        for _ in range(tasks):
            new_id = uuid.uuid4()
            for sql, columns, values in statements:
                params = [new_id if c in ("id", "result_id") else v
                          for c, v in zip(columns, values, strict=True)]
                cursor.execute(sql, params)
        seconds = time.perf_counter() - started
    return seconds


CLAIM = """
UPDATE django_tasks_database_dbtaskresult SET status = 'RUNNING', started_at = now(),
       worker_ids = worker_ids || '["bench"]'::jsonb
 WHERE id = (SELECT id FROM django_tasks_database_dbtaskresult
              WHERE status = 'READY' AND (run_after = '9999-01-01' OR run_after <= now())
              ORDER BY priority DESC, run_after, enqueued_at
              LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING id
"""
FINISH = ("UPDATE django_tasks_database_dbtaskresult SET status = 'SUCCESSFUL', "
          "finished_at = now(), return_value = '\"pong\"' WHERE id = %s")


def plain_claims(tasks: int) -> float:
    """Seconds for one raw claim-and-finish loop (autocommit) to drain `tasks` rows."""
    plain_inserts(tasks)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE django_tasks_database_dbtaskresult")
    raw = connection.connection
    cursor = raw.cursor()
    started = time.perf_counter()
    while True:
        cursor.execute(CLAIM)
        row = cursor.fetchone()
        if row is None:
            break
        cursor.execute(FINISH, row)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3, help="repeat, report the medians")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    call_command("migrate", interactive=False, verbosity=0)
    n = args.tasks
    measured: dict[str, list[float]] = {}
    for run in range(1, args.runs + 1):
        for workers in (1, 2):
            enqueue_s, drain_s = drain(n, workers)
            measured.setdefault("enqueue", []).append(enqueue_s)
            measured.setdefault(f"{workers} worker", []).append(drain_s)
        measured.setdefault("inserts", []).append(plain_inserts(n))
        measured.setdefault("claims", []).append(plain_claims(n))
        print(f"run {run}: " + ", ".join(f"{k} {n / v[-1]:,.0f}/s" for k, v in measured.items()),
              flush=True)
    empty_queue()
    rate = {k: n / statistics.median(v) for k, v in measured.items()}
    print(f"\n{n:,} no-op tasks, medians of {args.runs} run(s), PostgreSQL")
    print(f"enqueue (ping.enqueue, one transaction) {rate['enqueue']:10,.0f} tasks/s  "
          f"{rate['enqueue'] / rate['inserts']:5.2f} x the plain INSERT loop")
    print(f"plain INSERT loop (limit)               {rate['inserts']:10,.0f} tasks/s  "
          "(the same two rows per task, raw SQL)")
    for workers in (1, 2):
        r = rate[f"{workers} worker"]
        print(f"{workers} worker{'s' if workers > 1 else ' '} draining                       "
              f"{r:10,.0f} tasks/s  {r / rate['inserts']:5.2f} x INSERT loop, "
              f"{r / rate['claims']:5.2f} x claim loop")
    print(f"plain claim loop (1 process, raw SQL)   {rate['claims']:10,.0f} tasks/s  "
          "(UPDATE … SKIP LOCKED, then UPDATE to finished)")
    print(f"repeat: DATABASE_URL={os.environ.get('DATABASE_URL', '')} "
          f".venv/bin/python bench/queue_speed.py --tasks {n} --runs {args.runs}")


if __name__ == "__main__":
    main()
