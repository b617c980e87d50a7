"""The event stream's subscriber for lead routing: a new lead is scored and assigned in
its creator's transaction (so it is never seen unassigned); a changed lead, or an event
the scoring model counts, queues a recompute of that lead's score."""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction

from amity.events.models import Event

CACHE_KEY = "amity.sales.scored_event_kinds"
CACHE_SECONDS = 60
# Events routing publishes itself: reacting to them would loop.
OWN_KINDS = frozenset({"assigned", "lead.ready_for_sales", "deleted", "restored"})


def scored_event_kinds() -> frozenset[str]:
    """The event kinds the scoring model gives points for (cached for a minute)."""
    kinds = cache.get(CACHE_KEY)
    if kinds is None:
        from amity.sales.scoring_rules import current_scoring_model

        model = current_scoring_model()
        kinds = frozenset(b["event_kind"] for b in model.behaviours) if model.active \
            else frozenset()
        cache.set(CACHE_KEY, kinds, CACHE_SECONDS)
    return kinds


def forget_scored_kinds() -> None:
    """The scoring model changed: drop the cache now and after the commit."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def _is_lead(event: Event) -> bool:
    from amity.sales.models import Lead

    return event.subject_type_id == ContentType.objects.get_for_model(Lead).pk


def on_event(event: Event) -> None:
    if event.kind in OWN_KINDS or not _is_lead(event):
        return
    if event.kind == "created":
        lead_created(event.subject)
    elif event.kind == "updated" or event.kind in scored_event_kinds():
        from amity.sales.routing_tasks import recompute_lead_score

        recompute_lead_score.enqueue(event.subject_id)


def lead_created(lead) -> None:
    """Score the new lead, then assign it by the rules (a rule may ask for a score)."""
    from amity.sales.lead_assignment import assign_lead
    from amity.sales.lead_scoring import score_leads
    from amity.sales.models import Lead

    score_leads([lead.pk])
    lead.score, lead.grade = Lead.objects.filter(pk=lead.pk).values_list(
        "score", "grade").get()
    assign_lead(lead=lead)
