"""Reads of the event stream: the timeline of one record, newest first."""

from django.db import models

from amity.core.pagination import KeysetPage, keyset_page
from amity.events.models import Event

TIMELINE_ORDER = ("-occurred_at", "-id")


def timeline(*, subject: models.Model, after: str | None = None, size: int = 20) -> KeysetPage:
    """One page of the subject's events. The caller has already checked the subject
    is visible to the user: events carry their subject's access."""
    events = Event.objects.for_subject(subject).select_related("actor")
    return keyset_page(events, ordering=TIMELINE_ORDER, after=after, size=size)


def field_history(*, subject: models.Model) -> models.QuerySet:
    """The subject's changes, newest first: who, when, which field, old and new."""
    return (
        Event.objects.for_subject(subject)
        .filter(kind__in=("created", "updated", "assigned", "deleted", "restored"))
        .select_related("actor")
        .order_by(*TIMELINE_ORDER)
    )
