"""Background tasks of sales."""

from amity.core.jobs import durable_task, periodic
from amity.sales.quote_links import quotes_expire


@periodic("17 * * * *", name="sales.quotes_expire")
@durable_task(max_attempts=3)
def expire_quotes() -> int:
    """Every hour: sent quotes past their validity date become expired."""
    return quotes_expire()
