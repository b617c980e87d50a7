"""Background work of lead routing: one lead's score, every lead's score (nightly, as
behaviour points decay), and the re-assignment of leads no one has worked. Each takes ids
and may run twice with the effect of once."""

from amity.core.jobs import durable_task, periodic


@durable_task(max_attempts=5, backoff_seconds=30)
def recompute_lead_score(lead_id: int) -> int:
    """Recompute one lead's score from its fields and events as they are now."""
    from amity.sales.lead_scoring import score_leads

    return score_leads([lead_id])


@periodic("40 2 * * *", name="sales.lead_scores")
@durable_task(max_attempts=3, backoff_seconds=600)
def recompute_all_lead_scores() -> int:
    """Every lead's score (a model change, and decay as days pass); how many changed."""
    from amity.sales.lead_scoring import score_all_leads

    return score_all_leads()[1]


@periodic("*/15 * * * *", name="sales.lead_reassignment")
@durable_task(max_attempts=1)
def reassign_stale_leads() -> int:
    """Hand leads not worked for their rule's N hours to the rule's next user."""
    from amity.sales.lead_assignment import reassign_stale_leads as reassign

    return reassign()
