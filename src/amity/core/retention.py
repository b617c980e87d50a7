"""Records kept only for a while: each area says which of its rows have served their
purpose (notifications, finished webhook deliveries, ...) and which setting holds the
days they are kept; one nightly job deletes them, a chunk per transaction so a large
backlog never holds long locks. Customer history (events, messages, activities) is never
among them."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise

CHUNK = 1_000


@dataclass(frozen=True)
class Retention:
    name: str | Promise  # what is deleted, as the jobs page shows it
    setting: str  # the settings name holding the days kept
    expired: Callable[[datetime], QuerySet]  # the rows past their time, given the cutoff

    @property
    def days(self) -> int:
        return getattr(settings, self.setting)


_RETENTIONS: dict[str, Retention] = {}


def keep_for(name: str | Promise, setting: str,
             expired: Callable[[datetime], QuerySet]) -> None:
    """Declare rows deleted once `expired(now - settings.<setting> days)` selects them."""
    _RETENTIONS[f"{setting}:{name}"] = Retention(name, setting, expired)


def retentions() -> list[Retention]:
    return [_RETENTIONS[key] for key in sorted(_RETENTIONS)]


def prune_expired(*, now: datetime | None = None) -> dict[str, int]:
    """Delete every declared kind of row past its time; how many of each."""
    now = now or timezone.now()
    deleted = {}
    for retention in retentions():
        old = retention.expired(now - timedelta(days=retention.days))
        name = str(retention.name)
        deleted[name] = 0
        while ids := list(old.values_list("pk", flat=True)[:CHUNK]):
            with transaction.atomic():
                # Through the ORM, so cascades and SET NULLs are honoured on both databases.
                old.model.objects.filter(pk__in=ids).delete()
            deleted[name] += len(ids)
    return deleted
