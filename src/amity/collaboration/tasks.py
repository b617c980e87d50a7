"""Background tasks of notifications: emails go out here, never in a request."""

from amity.collaboration.delivery import email_notification, send_due_digests
from amity.core.jobs import durable_task, periodic


@durable_task(max_attempts=8, backoff_seconds=60)
def send_notification_email(notification_id: int) -> bool:
    """Email one notification (once, however often the task runs)."""
    return email_notification(notification_id)


@periodic("*/15 * * * *", name="notification digests")
@durable_task(max_attempts=3, backoff_seconds=120)
def send_digests() -> int:
    """Send each user whose digest time has come today their digest (once a day)."""
    return send_due_digests()
