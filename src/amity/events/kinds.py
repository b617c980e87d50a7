"""Kinds of event other apps name for people: a label for timelines and pickers, and an
optional line describing one event (e.g. which rule ran and what it did)."""

from collections.abc import Callable

from django.utils.functional import Promise

_LABELS: dict[str, Promise | str] = {}
_DESCRIBERS: dict[str, Callable] = {}


def register_event_kind(kind: str, label: Promise | str,
                        describe: Callable | None = None) -> None:
    """Name `kind`; `describe(event) -> str` gives its line on a timeline."""
    _LABELS[kind] = label
    if describe is not None:
        _DESCRIBERS[kind] = describe


def event_kind_labels() -> dict[str, str]:
    return {kind: str(label) for kind, label in _LABELS.items()}


def event_kind_label(kind: str) -> str | None:
    label = _LABELS.get(kind)
    return None if label is None else str(label)


def describe_event(event) -> str:
    describe = _DESCRIBERS.get(event.kind)
    return describe(event) if describe else ""
