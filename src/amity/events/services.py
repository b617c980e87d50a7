"""The one way to append to the event stream."""

from collections.abc import Callable
from typing import Any

from django.db import models

from amity.events.models import Event

EventHandler = Callable[[Event], None]
_subscribers: list[EventHandler] = []


def subscribe(handler: EventHandler) -> EventHandler:
    """Call `handler` with every event published from now on.

    Handlers run inside the publisher's transaction, so they must be quick: they
    enqueue a task (the queue is the same database, so the task exists exactly when
    the event does) rather than do slow or outside work themselves."""
    if handler not in _subscribers:
        _subscribers.append(handler)
    return handler


def publish(
    *, subject: models.Model, kind: str, actor=None, payload: dict[str, Any] | None = None,
    occurred_at=None,
) -> Event:
    """Append one event about `subject` to the stream and return it."""
    event = Event(subject=subject, kind=kind, actor=actor, payload=payload or {})
    if occurred_at is not None:
        event.occurred_at = occurred_at
    event.save()
    for handler in _subscribers:
        handler(event)
    return event
