"""The embedded SQLite database survives many writing processes and a worker at once.

Runs on its own SQLite file in a temporary directory whatever DATABASE_URL the suite
uses, so it is part of both CI passes."""

import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.processes import AMITY, amity, amity_env, django_script

WRITERS = 10
ACCOUNTS_EACH = 30
PINGS_BEFORE = 20
# Each account's transaction also enqueues one ping, so the worker keeps writing
# (claiming and finishing tasks) for as long as the writers do.
TASKS = PINGS_BEFORE + WRITERS * ACCOUNTS_EACH

SETUP = """
import sys
from amity.core.tasks import ping
from amity.org.models import Role, User
User.objects.create_user("rep", role=Role.objects.get(key="sales_rep"))
for _ in range(int(sys.argv[1])):
    ping.enqueue()
"""

# argv: writers, accounts each. Django is imported once and the writers are forked from
# it: ten real processes with their own connections that start at the same moment,
# without paying ten interpreter start-ups (seconds each on a busy two-core machine).
WRITERS_SCRIPT = """
import json, os, sys, traceback
from django.db import transaction
from amity.core.services import record_create
from amity.core.tasks import ping
from amity.customers.models import Account
from amity.org.models import User

def write(number, count):
    user = User.objects.get(username="rep")
    for i in range(count):
        with transaction.atomic():
            record_create(model=Account, user=user, data={"name": f"Writer {number} #{i}"})
            ping.enqueue()

pids = []
for number in range(int(sys.argv[1])):
    pid = os.fork()
    if pid == 0:  # a writer: no connection was opened before the fork
        code = 0
        try:
            write(number, int(sys.argv[2]))
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stderr.flush()
        os._exit(code)
    pids.append(pid)
print(json.dumps([os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]))
"""

REPORT = """
import json
from django.db.models import Count
from django_tasks_db.models import DBTaskResult
from amity.customers.models import Account
from amity.events.models import Event
print(json.dumps({
    "accounts": Account.objects.count(),
    "events": Event.objects.filter(kind="created").count(),
    "all_events": Event.objects.count(),
    "tasks": dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id"))),
}))
"""


@pytest.mark.xdist_group("processes")
def test_many_writers_and_a_worker_share_the_sqlite_file(tmp_path: Path) -> None:
    env = amity_env(tmp_path / "data")
    migrated = amity(env, "migrate", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stdout
    django_script(env, SETUP, str(PINGS_BEFORE))

    log = tmp_path / "worker.log"
    with log.open("w") as out:
        # --max-tasks: the worker leaves by itself once every task has been run;
        # --no-scheduler: no periodic job adds a task of its own meanwhile.
        worker = subprocess.Popen(
            [AMITY, "worker", "--no-scheduler", "--max-tasks", str(TASKS)], env=env,
            stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        writers = subprocess.run(
            [sys.executable, "-c", "import django\ndjango.setup()\n" + WRITERS_SCRIPT,
             str(WRITERS), str(ACCOUNTS_EACH)],
            env=env, capture_output=True, text=True, timeout=120, check=False,
        )
        # Checked before waiting for the worker: after a failed writer it would wait for
        # tasks that were never enqueued.
        writers_output = writers.stdout + writers.stderr
        assert writers.returncode == 0, writers_output
        assert json.loads(writers.stdout.splitlines()[-1]) == [0] * WRITERS, writers_output
        worker_code = worker.wait(timeout=120)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    assert worker_code == 0, log.read_text()
    for output in (writers_output, log.read_text()):
        assert "database is locked" not in output, output
        assert "Traceback" not in output, output

    report = django_script(env, REPORT)
    assert report["accounts"] == WRITERS * ACCOUNTS_EACH
    assert report["events"] == report["all_events"] == WRITERS * ACCOUNTS_EACH
    assert report["tasks"] == {"SUCCESSFUL": TASKS}

    # WAL is a property of the file itself, so read it straight from the file.
    with closing(sqlite3.connect(tmp_path / "data" / "amity.sqlite3")) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
