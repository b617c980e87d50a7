"""Keyset (cursor) pagination shared by the UI lists, the timeline and the API.

Offsets get slower the deeper the page; a keyset seeks straight to the row after
the cursor using the ordering's index. The cursor holds the last row's ordering
values, typed by their model fields, so ties (several events in one instant)
never skip or repeat a row. django-cursor-pagination compares those values as
text, which breaks on SQLite datetimes and PostgreSQL integers, so it is not used."""

import base64
import binascii
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.db.models.fields.tuple_lookups import (  # Django 5.2 LTS; used by composite keys
    Tuple,
    TupleGreaterThan,
    TupleLessThan,
    TupleLookupMixin,
)
from django.utils.translation import gettext as _

MAX_PAGE_SIZE = 200


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def keyset_page(
    queryset: QuerySet, *, ordering: tuple[str, ...], after: str | None = None, size: int = 50
) -> KeysetPage:
    """The page of `size` rows following the cursor `after` (or the first page).

    `ordering` names non-null fields of the model, all in one direction, and must end
    with the primary key, so that every row has a distinct position."""
    size = max(1, min(int(size), MAX_PAGE_SIZE))
    fields = [queryset.model._meta.get_field(o.lstrip("-")) for o in ordering]
    rows = queryset.order_by(*ordering)
    if after:
        rows = rows.filter(_after(ordering, _decode(after, fields)))
    items = list(rows[: size + 1])
    next_cursor = _encode(items[size - 1], fields) if len(items) > size else None
    return KeysetPage(items=items[:size], next_cursor=next_cursor)


def _after(ordering: tuple[str, ...], values: list) -> Q | TupleLookupMixin:
    """Rows strictly after `values`: a row-value comparison, `(a, b) > (x, y)`, which the
    database answers with one seek in the (a, b) index even when many rows share `a`."""
    names = [F(order.lstrip("-")) for order in ordering]
    descending = {order.startswith("-") for order in ordering}
    if len(descending) != 1:
        raise ValueError("keyset ordering must run one way: all ascending or all descending")
    lookup = TupleLessThan if descending.pop() else TupleGreaterThan
    return lookup(Tuple(*names), tuple(values))


def _encode(row, fields) -> str:
    values = [field.value_to_string(row) for field in fields]
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


def _decode(cursor: str, fields) -> list:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(values, list) or len(values) != len(fields):
            raise ValueError(cursor)
        return [field.to_python(value) for field, value in zip(fields, values, strict=True)]
    except (ValueError, TypeError, binascii.Error, ValidationError, UnicodeError) as exc:
        raise ValidationError({"cursor": [_("This cursor is not valid.")]}) from exc
