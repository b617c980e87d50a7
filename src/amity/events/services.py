"""The one way to append to the event stream."""

from typing import Any

from django.db import models

from amity.events.models import Event


def publish(
    *, subject: models.Model, kind: str, actor=None, payload: dict[str, Any] | None = None,
    occurred_at=None,
) -> Event:
    """Append one event about `subject` to the stream and return it."""
    event = Event(subject=subject, kind=kind, actor=actor, payload=payload or {})
    if occurred_at is not None:
        event.occurred_at = occurred_at
    event.save()
    return event
