"""Background tasks of the shared kernel."""

from django_tasks import task

from amity.core.jobs import durable_task, periodic


@task()
def ping() -> str:
    """A no-op that lets health checks and tests exercise the queue end to end."""
    return "pong"


@periodic("17 3 * * *", name="prune-task-results")
@durable_task(max_attempts=3, backoff_seconds=300)
def prune_task_results() -> int:
    """Delete finished tasks older than AMITY_TASK_RETENTION_DAYS, with their attempts."""
    from amity.core.jobs.services import prune_finished

    return prune_finished()


@periodic("47 3 * * *", name="prune-expired-records")
@durable_task(max_attempts=3, backoff_seconds=300)
def prune_expired_records() -> int:
    """Delete what areas keep only for a while (core.retention); how many rows."""
    from amity.core.retention import prune_expired

    return sum(prune_expired().values())
