"""The event stream's subscriber for lead routing: a new lead is scored and assigned in
its creator's transaction (so it is never seen unassigned); a changed lead, or an event
the scoring model counts, queues a recompute of that lead's score; a person's edit or
logged activity on a lead marks it worked (re-assignment waits for N hours without)."""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q

from amity.events.models import Event

CACHE_KEY = "amity.sales.scored_event_kinds"
CACHE_SECONDS = 60
# Events routing publishes itself: reacting to them would loop.
OWN_KINDS = frozenset({"assigned", "lead.ready_for_sales", "deleted", "restored"})
# What a person does on a lead that counts as working it (status moves and checklist
# answers set touched_at in lead_services).
WORK_KINDS = frozenset({"updated", "call.logged", "meeting.held", "email.logged", "task.done"})


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
    if event.kind in WORK_KINDS:
        mark_worked(event)
    if event.kind == "created":
        lead_created(event.subject)
    elif event.kind == "updated" or event.kind in scored_event_kinds():
        from amity.sales.routing_tasks import recompute_lead_score

        recompute_lead_score.enqueue(event.subject_id)


def mark_worked(event: Event) -> None:
    """The lead was worked when the event happened, if a person did it (not a rule's
    action); touched_at never moves back (a call logged as done yesterday)."""
    from amity.sales.models import Lead

    if event.actor_id is None or (event.payload or {}).get("automation"):
        return
    (Lead.objects.filter(pk=event.subject_id)
     .filter(Q(touched_at__isnull=True) | Q(touched_at__lt=event.occurred_at))
     .update(touched_at=event.occurred_at))


def lead_created(lead) -> None:
    """Score the new lead, then assign it by the rules (a rule may ask for a score)."""
    from amity.sales.lead_assignment import assign_lead
    from amity.sales.lead_scoring import score_leads
    from amity.sales.models import Lead

    score_leads([lead.pk])
    lead.score, lead.grade = Lead.objects.filter(pk=lead.pk).values_list(
        "score", "grade").get()
    assign_lead(lead=lead)
