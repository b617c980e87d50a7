"""The worker's side of webhooks: one attempt per run, retried with backoff on failure."""

from amity.core.jobs import durable_task
from amity.integrations import webhooks


@durable_task(max_attempts=webhooks.MAX_ATTEMPTS, backoff_seconds=webhooks.BACKOFF_SECONDS,
              on_dead=webhooks.delivery_gave_up)
def deliver_webhook(delivery_id: int) -> str:
    return webhooks.delivery_attempt(delivery_id=delivery_id)
