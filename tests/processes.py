"""Helpers for tests that run Amity as real processes against their own data directory."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

# The repository root, on the PYTHONPATH of worker processes so they import test tasks.
ROOT = Path(__file__).resolve().parents[1]
# The console script installed next to the interpreter running the tests.
AMITY = str(Path(sys.executable).with_name("amity"))

# Variables of the test run that must not leak into a product process: it has to pick
# its own database (the data dir's SQLite file unless a test says otherwise).
_NOT_INHERITED = {"DATABASE_URL", "AMITY_TEST_SQLITE", "SECRET_KEY", "DEBUG",
                  "AMITY_HOST", "AMITY_PORT"}


def amity_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a product process that keeps its data in `data_dir`."""
    env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    env.update(AMITY_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="amity.settings",
               PYTHONUNBUFFERED="1", **extra)
    return env


def amity(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `amity ARGS` to completion, output captured (stderr folded into stdout)."""
    return subprocess.run([AMITY, *args], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=timeout, check=False)


def django_script(env: dict[str, str], code: str, *args: str, timeout: float = 120) -> Any:
    """Run `code` after django.setup() in a fresh interpreter; return what it printed last,
    parsed as JSON. Fails the test, with the output, if the script fails."""
    result = subprocess.run(
        [sys.executable, "-c", "import django\ndjango.setup()\n" + code, *args],
        env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children_of(pid: int) -> list[int]:
    """Pids whose parent is `pid` (Linux /proc; no ps needed)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # exited while we looked
            continue
        # "pid (comm) state ppid ..." - comm may contain spaces, so split after ')'.
        if int(stat.rpartition(")")[2].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def process_exists(pid: int) -> bool:
    """True while `pid` exists and is not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def start_worker(env: dict[str, str], log: Path, *args: str, **extra: str) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen([AMITY, "worker", "--interval", "0.2", *args],
                                env={**env, **extra}, stdout=out, stderr=subprocess.STDOUT)


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def wait_for(condition, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        time.sleep(0.1)


def stop(process: subprocess.Popen) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    return process.wait()
