"""The one way to append to the event stream."""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models

from amity.events.models import Event

EventHandler = Callable[[Event], None]
_subscribers: list[EventHandler] = []
PayloadContext = Callable[[], dict[str, Any]]
_payload_contexts: list[PayloadContext] = []


def subscribe(handler: EventHandler) -> EventHandler:
    """Call `handler` with every event published from now on.

    Handlers run inside the publisher's transaction, so they must be quick: they
    enqueue a task (the queue is the same database, so the task exists exactly when
    the event does) rather than do slow or outside work themselves."""
    if handler not in _subscribers:
        _subscribers.append(handler)
    return handler


def add_payload_context(provider: PayloadContext) -> PayloadContext:
    """Merge what `provider()` returns into the payload of every event published from now
    on (automation records there which rules' actions caused the event)."""
    if provider not in _payload_contexts:
        _payload_contexts.append(provider)
    return provider


def publish(
    *, subject: models.Model, kind: str, actor=None, payload: dict[str, Any] | None = None,
    occurred_at=None,
) -> Event:
    """Append one event about `subject` to the stream and return it."""
    event = _event(subject, kind, actor, payload, occurred_at)
    event.save()
    _notify([event])
    return event


def publish_many(events: Iterable[tuple[models.Model, dict[str, Any]]], *, kind: str,
                 actor=None) -> list[Event]:
    """Append one event of `kind` per (subject, payload) in one INSERT, then tell the
    subscribers of each in order, as `publish` would; a batch job's way to publish."""
    made = [_event(subject, kind, actor, payload, None) for subject, payload in events]
    Event.objects.bulk_create(made)
    _notify(made)
    return made


def _event(subject: models.Model, kind: str, actor, payload: dict[str, Any] | None,
           occurred_at) -> Event:
    payload = dict(payload or {})
    for provider in _payload_contexts:
        payload.update(provider())
    event = Event(subject=subject, kind=kind, actor=actor, payload=payload)
    if occurred_at is not None:
        event.occurred_at = occurred_at
    return event


def _notify(events: list[Event]) -> None:
    for event in events:
        for handler in _subscribers:
            handler(event)
