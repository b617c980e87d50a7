"""Workers in the test process, and the clock moved on instead of waited for."""

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from amity.core.jobs import heartbeats
from amity.core.jobs.models import WorkerHeartbeat
from amity.core.jobs.services import claim_next, reclaim_lost
from amity.core.jobs.worker import Worker


def make_worker(worker_id: str = "worker-a") -> Worker:
    """A worker in this process, announced by a heartbeat, without threads or schedules."""
    heartbeats.register(worker_id)
    return Worker(scheduler=False, queue_names=["default"], excluded_queue_names=[],
                  interval=0, batch=True, backend_name="default", startup_delay=False,
                  max_tasks=None, worker_id=worker_id)


def run_next(worker: Worker) -> bool:
    """Claim and run the next due task; False when none is due."""
    claimed, _ = worker.claim()
    if claimed is None:
        return False
    worker.run_task(*claimed)
    return True


def let_backoff_pass(result) -> None:
    """The clock moving on to the next try (rather than sleeping for it)."""
    DBTaskResult.objects.filter(pk=result.id).update(run_after=timezone.now())


def lose_every_attempt(result, attempts: int) -> None:
    """Each of the task's `attempts` tries is claimed by a worker that is then killed and
    taken for lost, until the task is dead (other queued tasks are left alone)."""
    for number in range(attempts):
        let_backoff_pass(result)
        worker_id = f"lost-{number}"
        heartbeats.register(worker_id)
        assert claim_next(tasks=DBTaskResult.objects.ready().filter(pk=result.id),
                          worker_id=worker_id)
        WorkerHeartbeat.objects.filter(pk=worker_id).delete()
        assert reclaim_lost(lease_seconds=60) == 1
