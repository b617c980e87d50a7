"""Background tasks of automation: rules for one event, the time-based rules, and one
step of a sequence. All take ids and are idempotent (the run log's keys)."""

from amity.automation.engine import rules_run_for_event
from amity.automation.schedule import rules_run_due
from amity.automation.sequences import sequence_advance
from amity.core.jobs import durable_task, periodic


@durable_task(max_attempts=3, backoff_seconds=30)
def run_rules_for_event(event_id: int) -> int:
    """Run the rules the event starts (each rule once, however often this runs)."""
    return rules_run_for_event(event_id)


@periodic("*/15 * * * *", name="automation.time_rules")
@durable_task(max_attempts=1)
def run_time_rules() -> int:
    """Date and inactivity rules; every 15 minutes, each record once per due date."""
    return rules_run_due()


@durable_task(max_attempts=5, backoff_seconds=60)
def advance_enrollment(enrollment_id: int, position: int) -> str:
    """The next steps of a sequence for one record, after a wait."""
    return sequence_advance(enrollment_id, position)
