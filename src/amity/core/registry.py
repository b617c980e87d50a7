"""The kinds of business record: every concrete model built on OwnedRecord."""

from dataclasses import dataclass

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class RecordKind:
    key: str  # "customers.contact", the model's label; used in grants and URLs
    area: str
    model: type[models.Model]

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)


def record_kinds() -> list[RecordKind]:
    from amity.core.models import OwnedRecord

    return [
        RecordKind(key=m._meta.label_lower, area=m.area, model=m)
        for m in apps.get_models()
        if issubclass(m, OwnedRecord)
    ]


def record_kind(key: str) -> RecordKind:
    for kind in record_kinds():
        if kind.key == key:
            return kind
    raise LookupError(key)
