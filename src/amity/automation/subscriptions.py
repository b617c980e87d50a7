"""The event stream's subscriber: when an active rule watches the event's kind, enqueue
one task for the event, in the publisher's transaction. Which (record kind, event kind)
pairs are watched is cached, so an event no rule watches costs no query."""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction

from amity.automation.chain import event_chain, max_depth
from amity.events.models import Event

CACHE_KEY = "amity.automation.watched"
# Each process caches for itself (Django's local-memory cache unless CACHES says
# otherwise): a rule saved in the web process applies to events the worker publishes
# within this, at the cost of one small query per process this often.
CACHE_SECONDS = 5


def watched_triggers() -> frozenset[tuple[str, str]]:
    """(record kind, event kind) of every active event rule."""
    watched = cache.get(CACHE_KEY)
    if watched is None:
        from amity.automation.models import Rule, Trigger

        watched = frozenset(Rule.objects.filter(active=True, trigger=Trigger.EVENT)
                            .values_list("record_kind", "event_kind").distinct())
        cache.set(CACHE_KEY, watched, CACHE_SECONDS)
    return watched


def forget_watched() -> None:
    """Rules changed: drop the cache now and again after the commit (so no reader caches
    the state from before it)."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def on_event(event: Event) -> None:
    content_type = ContentType.objects.get_for_id(event.subject_type_id)
    kind = f"{content_type.app_label}.{content_type.model}"
    if (kind, event.kind) not in watched_triggers():
        return
    if len(event_chain(event)) >= max_depth():
        return
    from amity.automation.tasks import run_rules_for_event

    run_rules_for_event.enqueue(event.pk)
