"""Tasks the job tests enqueue; worker subprocesses import them by path (PYTHONPATH)."""

import json
import os
import time
from pathlib import Path

from django_tasks import task

from amity.core.jobs import durable_task

NASTY = "ไม่รับจดหมาย 邮件被拒 ایمیل رد شد 📮 <script>alert(1)</script>"


@durable_task(max_attempts=3, backoff_seconds=60, takes_context=True)
def fails_until(context, succeed_on: int) -> int:
    """Fails like an SMTP outage until attempt `succeed_on`."""
    if context.attempt < succeed_on:
        raise ConnectionRefusedError(f"SMTP down (attempt {context.attempt})")
    return context.attempt


@durable_task(max_attempts=3, backoff_seconds=10)
def always_fails() -> None:
    raise RuntimeError(NASTY)


GAVE_UP: list[tuple] = []


def _gave_up(label: str, *, fail: bool = False) -> None:
    GAVE_UP.append((label, fail))
    if fail:
        raise RuntimeError("on_dead broke")


@durable_task(max_attempts=2, backoff_seconds=10, on_dead=_gave_up)
def fails_and_gives_up(label: str, *, fail: bool = False) -> None:
    raise RuntimeError(f"{label} failed")


@task()
def plain_fails() -> None:
    raise ValueError("a plain task fails once")


@task()
def returns_unstorable() -> object:
    return object()


def _append(path: str, record: dict) -> None:
    # One write of one line with O_APPEND: lines of concurrent processes never interleave.
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")


@durable_task(max_attempts=3, backoff_seconds=0, takes_context=True)
def blocks_first_attempt(context, log: str) -> str:
    """Attempt 1 announces itself and blocks (its worker is killed); later ones finish."""
    _append(log, {"event": "start", "attempt": context.attempt, "pid": os.getpid()})
    if context.attempt == 1:
        time.sleep(600)
    _append(log, {"event": "done", "attempt": context.attempt, "pid": os.getpid()})
    return "done"


@task(takes_context=True)
def record_run(context, log: str, number: int, barrier: str) -> None:
    """Records which worker ran task `number`. Tasks 0 and 1 wait for each other, so two
    workers are provably running tasks at the same time."""
    if number < 2:
        Path(barrier, f"started-{number}").touch()
        deadline = time.monotonic() + 120
        while len(list(Path(barrier).iterdir())) < 2:
            if time.monotonic() > deadline:
                raise TimeoutError("the other worker never started a task")
            time.sleep(0.05)
    _append(log, {"number": number, "worker": context.task_result.worker_ids[-1],
                  "pid": os.getpid()})
