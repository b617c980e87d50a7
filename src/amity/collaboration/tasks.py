"""Background tasks of notifications: emails go out here, never in a request."""

from django_tasks import task

from amity.collaboration.delivery import email_digest, email_notification, make_due_digests
from amity.core.jobs import durable_task, periodic


@durable_task(max_attempts=8, backoff_seconds=60)
def send_notification_email(notification_id: int) -> bool:
    """Email one notification (once, however often the task runs)."""
    return email_notification(notification_id)


@durable_task(max_attempts=8, backoff_seconds=120)
def send_digest_email(digest_id: int) -> bool:
    """Email one user's digest (once, however often the task runs)."""
    return email_digest(digest_id)


@periodic("*/15 * * * *", name="notification digests")
@task()
def make_digests() -> int:
    """Make the digest of each user whose digest time has come today (once a day each);
    each is emailed by its own task, retried on its own if the mail server is down."""
    return make_due_digests()
