"""The `amity` command as a user runs it: real processes, a real port, a fresh data dir."""

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing, suppress
from pathlib import Path

import pytest

from tests.processes import (
    AMITY,
    amity,
    amity_env,
    children_of,
    django_script,
    free_port,
    process_exists,
)

pytestmark = pytest.mark.xdist_group("processes")

# A process inherits an *ignored* SIGINT (e.g. a test run started in the background by a
# script), and Python then leaves it ignored; restore the default before exec so the
# SIGINT below acts like Ctrl-C at a terminal whatever started the tests.
SIGINT_DEFAULT = [sys.executable, "-c", "import os, signal, sys; "
                  "signal.signal(signal.SIGINT, signal.SIG_DFL); "
                  "os.execv(sys.argv[1], sys.argv[1:])"]

# Enqueue a ping and wait (bounded) for a worker to run it; print its final status.
PING_ROUNDTRIP = """
import json, time
from django_tasks_db.models import DBTaskResult
from amity.core.tasks import ping
task_id = ping.enqueue().id
deadline = time.monotonic() + 90
while True:
    status = DBTaskResult.objects.get(id=task_id).status
    if status in ("SUCCESSFUL", "FAILED") or time.monotonic() > deadline:
        break
    time.sleep(0.2)
print(json.dumps(status))
"""


def _counts(data_dir: Path) -> tuple[int, int]:
    """Users and accounts, read straight from the SQLite file (no interpreter start-up)."""
    with closing(sqlite3.connect(data_dir / "amity.sqlite3")) as db:
        return (db.execute("SELECT count(*) FROM org_user").fetchone()[0],
                db.execute("SELECT count(*) FROM customers_account").fetchone()[0])


def _get_health(port: int, process: subprocess.Popen, log: Path) -> dict:
    """Poll /health (bounded) until the server answers 200; return its JSON."""
    deadline = time.monotonic() + 180
    while True:
        assert process.poll() is None, f"amity run exited early:\n{log.read_text()}"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as reply:
                if reply.status == 200:
                    return json.load(reply)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass  # not listening yet, or still migrating
        assert time.monotonic() < deadline, f"no healthy answer within 180 s:\n{log.read_text()}"
        time.sleep(0.25)


def _wait_for_worker_child(pid: int) -> int:
    """The pid of the worker `amity run` started (bounded wait: it may still be starting)."""
    deadline = time.monotonic() + 90
    while True:
        workers = [child for child in children_of(pid)
                   if b"worker" in Path(f"/proc/{child}/cmdline").read_bytes()]
        if workers:
            assert len(workers) == 1, workers
            return workers[0]
        assert time.monotonic() < deadline, f"no worker child of {pid}"
        time.sleep(0.1)


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = amity(amity_env(tmp_path), "--help")
    assert result.returncode == 0, result.stdout
    for command in ("run", "worker", "migrate", "createsuperuser", "demo"):
        assert re.search(rf"^\s+{command}\s+\S", result.stdout, re.MULTILINE), result.stdout


# "process": SIGINT to `amity run` alone (as `kill -INT`); "group": to its whole process
# group, as Ctrl-C at a terminal does, so the worker receives it at the same time too.
@pytest.mark.parametrize("target", ["process", "group"])
def test_run_serves_with_a_worker_and_stops_on_ctrl_c(tmp_path: Path, target: str) -> None:
    env = amity_env(tmp_path / "data")
    port = free_port()
    log = tmp_path / "run.log"
    with log.open("w") as out:
        # A session of its own: the group signal reaches only Amity, never pytest.
        process = subprocess.Popen(
            [*SIGINT_DEFAULT, AMITY, "run", "--port", str(port)], env=env,
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        health = _get_health(port, process, log)
        assert health["database"]["ok"] is True
        assert {"ready", "running", "failed"} <= set(health["queue"])

        worker = _wait_for_worker_child(process.pid)
        # The worker beside the server really runs queued work.
        assert django_script(env, PING_ROUNDTRIP) == "SUCCESSFUL"

        printed = log.read_text()
        assert f"http://127.0.0.1:{port}/" in printed
        assert re.search(r"admin\s.*amity-demo", printed), printed

        if target == "group":
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGINT)
        code = process.wait(timeout=20)
        # `amity run` waits for its worker before it exits, so no grace period is needed.
        worker_left = process_exists(worker)
    finally:
        with suppress(ProcessLookupError):  # whatever is left of the group, after a failure
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    assert code == 0, log.read_text()
    assert "Amity stopped." in log.read_text()
    assert not worker_left, f"worker {worker} outlived amity run:\n{log.read_text()}"


def test_demo_is_not_loaded_twice(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = amity_env(data)
    assert amity(env, "migrate", "--verbosity", "0").returncode == 0

    first = amity(env, "demo")
    assert first.returncode == 0, first.stdout
    assert "Demo organisation loaded" in first.stdout
    users, accounts = loaded = _counts(data)
    assert users > 0 and accounts > 0

    second = amity(env, "demo")
    assert second.returncode == 0, second.stdout
    assert "not loaded" in second.stdout
    assert _counts(data) == loaded
