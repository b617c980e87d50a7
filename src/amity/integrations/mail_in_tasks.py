"""Background tasks of email in: the periodic poll and the poll of one mailbox."""

from amity.core.jobs import durable_task, periodic
from amity.integrations.mail_reply_checks import check_replies
from amity.integrations.mailboxes import mailbox_poll
from amity.integrations.models import Mailbox


@durable_task(max_attempts=4, backoff_seconds=30)
def mailbox_poll_task(mailbox_id: int) -> dict:
    """Poll one mailbox; raises while its server is down, so it is retried."""
    report = mailbox_poll(mailbox_id)
    return {"stored": report.stored, "duplicates": report.duplicates,
            "rejected": report.rejected}


@periodic("*/2 * * * *", name="mail-in: poll mailboxes")
@durable_task(max_attempts=1)
def mailboxes_poll() -> int:
    """Queue a poll of every active mailbox (each retried on its own)."""
    ids = list(Mailbox.objects.filter(active=True).values_list("pk", flat=True))
    for mailbox_id in ids:
        mailbox_poll_task.enqueue(mailbox_id)
    return len(ids)


@periodic("*/15 * * * *", name="mail-in: replies overdue")
@durable_task(max_attempts=3, backoff_seconds=60)
def replies_check() -> int:
    """The service-level check: customers' emails not answered in time tell their owners."""
    return check_replies()
