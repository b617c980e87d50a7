"""Background tasks of activities."""

from amity.activities.reminders import task_reminders_due
from amity.core.jobs import durable_task, periodic


@periodic("*/5 * * * *", name="activities.task_reminders")
@durable_task(max_attempts=1)
def send_task_reminders() -> int:
    """Every five minutes: the reminders whose time has come, each once."""
    return task_reminders_due()
