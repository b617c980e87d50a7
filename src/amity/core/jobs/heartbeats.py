"""Worker heartbeats: each worker process keeps a row fresh; a worker whose row is older
than the lease (AMITY_WORKER_LEASE_SECONDS) is taken for dead and its task is put back."""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import DateTimeField, ExpressionWrapper, Value
from django.db.models.functions import Now
from django.utils import timezone

from amity.core.jobs.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def lease_seconds() -> int:
    return settings.WORKER_LEASE_SECONDS


def lease_cutoff(seconds: float | None = None) -> ExpressionWrapper:
    """The database's now minus the lease: heartbeats older than this are dead."""
    seconds = lease_seconds() if seconds is None else seconds
    return ExpressionWrapper(Now() - Value(timedelta(seconds=seconds)),
                             output_field=DateTimeField())


def live_workers(seconds: float | None = None):
    """Heartbeats younger than the lease."""
    return WorkerHeartbeat.objects.filter(last_seen__gte=lease_cutoff(seconds))


def register(worker_id: str) -> None:
    """Announce a worker before it claims its first task."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname()[:255], "pid": os.getpid(),
                  "started_at": timezone.now(), "last_seen": Now()},
    )


def beat(worker_id: str) -> None:
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=Now()):
        register(worker_id)  # pruned while we were silent (e.g. a long database outage)


def unregister(worker_id: str) -> None:
    """A worker leaving cleanly: it no longer counts as live."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


class HeartbeatThread(threading.Thread):
    """Beats every quarter lease (at most every 15 s), also while a long task runs."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.interval = min(15.0, max(0.2, lease_seconds() / 4))
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                close_old_connections()
                beat(self.worker_id)
            except Exception:
                # A database outage: keep trying; the main loop reports its own errors.
                logger.warning("worker %s: heartbeat failed", self.worker_id, exc_info=True)
        connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=30)
