"""Linked records a reader may not see: a list or an export shows a contact's account, a
task's opportunity… only when the reader may see that record too, as the record page
does. Worked out for a page or a chunk of records at once, one query per link."""

from collections.abc import Callable, Iterable, Sequence

from django.db.models import ForeignKey, Model

from amity.core.models import OwnedRecord


def gated_links(model: type[Model], names: Iterable[str]) -> list[ForeignKey]:
    """The foreign keys among `names` (fields of `model`) to records behind the gate."""
    fields = (model._meta.get_field(name) for name in names)
    return [f for f in fields if f.many_to_one and issubclass(f.related_model, OwnedRecord)]


def link_hider(model: type[Model], records: Sequence[Model], names: Iterable[str],
               user) -> Callable[[Model, str], bool]:
    """hidden(record, name): whether `user` may not see the record that `record` links
    to by `name` (one query per gated link among `names`, for all `records`)."""
    visible: dict[str, tuple[str, set]] = {}
    for field in gated_links(model, names):
        ids = {getattr(r, field.attname) for r in records} - {None}
        seen = field.related_model.objects.visible_to(user).filter(pk__any=ids) \
            .values_list("pk", flat=True) if ids else []
        visible[field.name] = (field.attname, set(seen))

    def hidden(record: Model, name: str) -> bool:
        if name not in visible:
            return False
        attname, seen = visible[name]
        linked = getattr(record, attname)
        return linked is not None and linked not in seen
    return hidden
