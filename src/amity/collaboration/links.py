"""Where a notification's record link leads, and whether the user may still follow it.

A link goes through the record's own access gate every time it is shown or opened: a
notification about a record the user can no longer see shows no link. Business records
use `visible_to(user)`; other models (an import job, …) register their gate here."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models

from amity.core.models import OwnedRecord


@dataclass(frozen=True)
class LinkTarget:
    visible: Callable[[object], models.QuerySet]  # user -> the rows they may open
    url: Callable[[models.Model], str]


_targets: dict[type[models.Model], LinkTarget] = {}


def register_link(model: type[models.Model], *, visible: Callable[[object], models.QuerySet],
                  url: Callable[[models.Model], str] | None = None) -> None:
    """Let notifications link to `model`'s rows that `visible(user)` returns."""
    _targets[model] = LinkTarget(visible, url or (lambda row: row.get_absolute_url()))


def link_target(model: type[models.Model] | None) -> LinkTarget | None:
    if model is None:
        return None
    if model in _targets:
        return _targets[model]
    if issubclass(model, OwnedRecord):
        return LinkTarget(lambda user: model.objects.visible_to(user),
                          lambda row: row.get_absolute_url())
    return None


def record_links(user, notifications: Iterable) -> dict[int, str]:
    """The link of each notification the user may follow, by notification id: one query
    per kind of record among them."""
    wanted: dict[int, dict[int, list[int]]] = {}
    for n in notifications:
        if n.record_type_id and n.record_id:
            wanted.setdefault(n.record_type_id, {}).setdefault(n.record_id, []).append(n.pk)
    links: dict[int, str] = {}
    for type_id, by_record in wanted.items():
        target = link_target(ContentType.objects.get_for_id(type_id).model_class())
        if target is None:
            continue
        for row in target.visible(user).filter(pk__in=list(by_record)):
            for notification_id in by_record[row.pk]:
                links[notification_id] = target.url(row)
    return links


def record_link(user, notification) -> str | None:
    return record_links(user, [notification]).get(notification.pk)
