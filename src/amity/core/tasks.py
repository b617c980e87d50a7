"""Background tasks of the shared kernel."""

from django_tasks import task


@task()
def ping() -> str:
    """A no-op that lets health checks and tests exercise the queue end to end."""
    return "pong"
