"""Background tasks of the integrations app."""

from amity.core.jobs import durable_task
from amity.integrations.mail_delivery import deliver, delivery_gave_up


@durable_task(max_attempts=8, backoff_seconds=60, on_dead=delivery_gave_up)
def send_outbound_email(message_id: int) -> str:
    """Send one stored message; run again, it sends nothing if the message was sent."""
    return deliver(message_id)
