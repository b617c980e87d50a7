"""Background tasks of sales."""

from amity.core.jobs import durable_task, periodic
from amity.customers.tasks import import_gave_up
from amity.sales.quote_links import quotes_expire


@periodic("17 * * * *", name="sales.quotes_expire")
@durable_task(max_attempts=3)
def expire_quotes() -> int:
    """Every hour: sent quotes past their validity date become expired."""
    return quotes_expire()


@periodic("20 1 * * 1", name="sales.forecast_snapshot")
@durable_task(max_attempts=3, backoff_seconds=600)
def take_forecast_snapshot() -> str:
    """Every Monday: the forecast as it stands, for the page's "changes since"."""
    from amity.sales.forecast_snapshots import take_snapshot

    return take_snapshot().taken_on.isoformat()


@durable_task(max_attempts=5, on_dead=import_gave_up)
def run_lead_import(job_id: int) -> str:
    """Import a large lead file; run again after a crash, it continues from the checkpoint."""
    from amity.sales.lead_import import lead_import_run

    return lead_import_run(job_id).status
