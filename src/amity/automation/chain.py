"""Loop prevention: while a rule's actions run, the rules that caused them are the causing
chain; every event published meanwhile carries it in its payload ("automation.chain").

A rule never fires on an event whose chain holds it (its own action caused the event,
directly or through other rules), and no rule fires once the chain is MAX_CHAIN_DEPTH
long, which stops A → B → C → … chains however the rules are written."""

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.conf import settings

from amity.events.services import add_payload_context

_chain: ContextVar[tuple[int, ...]] = ContextVar("automation_chain", default=())


def max_depth() -> int:
    return getattr(settings, "AMITY_AUTOMATION_MAX_CHAIN", 5)


def current_chain() -> tuple[int, ...]:
    return _chain.get()


@contextlib.contextmanager
def acting_for(chain: list[int] | tuple[int, ...]) -> Iterator[None]:
    """Events published inside carry `chain` (the rules whose actions are running)."""
    token = _chain.set(tuple(chain))
    try:
        yield
    finally:
        _chain.reset(token)


def event_chain(event) -> list[int]:
    """The rules that caused `event` (empty for a person's own change)."""
    chain = (event.payload or {}).get("automation", {}).get("chain", [])
    return [int(rule_id) for rule_id in chain if isinstance(rule_id, int)]


@add_payload_context
def _payload() -> dict[str, Any]:
    chain = _chain.get()
    return {"automation": {"chain": list(chain)}} if chain else {}
