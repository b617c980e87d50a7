"""Reads of the event stream: the timeline of one record, newest first."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from amity.core.pagination import KeysetPage, keyset_page
from amity.events.models import Event

TIMELINE_ORDER = ("-occurred_at", "-id")


def timeline(*, subject: models.Model, after: str | None = None, size: int = 20,
             extra_ids: Iterable[int] = ()) -> KeysetPage:
    """One page of the subject's events. The caller has already checked the subject
    is visible to the user: events carry their subject's access. `extra_ids` adds the
    events of records of the same type that became part of it (e.g. merged contacts)."""
    events = Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id__in=[subject.pk, *extra_ids],
    ).select_related("actor")
    return keyset_page(events, ordering=TIMELINE_ORDER, after=after, size=size)


def field_history(*, subject: models.Model) -> models.QuerySet:
    """The subject's changes, newest first: who, when, which field, old and new."""
    return (
        Event.objects.for_subject(subject)
        .filter(kind__in=("created", "updated", "assigned", "deleted", "restored",
                           "merged", "merge_undone"))
        .select_related("actor")
        .order_by(*TIMELINE_ORDER)
    )
