"""The worker's side of SMS: send a queued message once, retried with backoff."""

from amity.core.jobs import durable_task
from amity.integrations import sms


@durable_task(max_attempts=sms.MAX_ATTEMPTS, backoff_seconds=sms.BACKOFF_SECONDS,
              on_dead=sms.sms_gave_up)
def send_sms(message_id: int) -> str:
    return sms.sms_deliver(message_id=message_id)
