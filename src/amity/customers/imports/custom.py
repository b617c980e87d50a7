"""Custom fields in contact imports: the columns mapped to "custom.<key>" made into the
contact's custom values, checked by core.custom_fields.clean_custom.

Cells are read as people write them in spreadsheets: a choice by its label or its value,
several choices separated by ";" or ",", money as "1500 THB" (or "THB 1500"), yes/no as
yes, no, true, false, 1 or 0. An empty cell leaves the stored value alone."""

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

from amity.core.custom_fields import (
    CustomField,
    FieldType,
    active_fields,
    clean_custom,
    error_key,
)
from amity.customers.models import Contact

PREFIX = "custom."
_MONEY = re.compile(r"^\s*(?:([A-Za-z]{3})\s*([^A-Za-z]+?)|([^A-Za-z]+?)\s*([A-Za-z]{3}))\s*$")


def contact_fields() -> list[CustomField]:
    """The active custom fields of contacts (read once per batch of rows, not per row)."""
    return active_fields(Contact.kind_key())


def custom_targets() -> dict[str, str]:
    """Import targets for the contact's custom fields: "custom.<key>" -> label."""
    return {error_key(f.key): f.label for f in contact_fields()}


def _from_cell(field: CustomField, text: str) -> Any:
    if field.type in (FieldType.CHOICE, FieldType.MULTI_CHOICE):
        by_label = {c["label"].casefold(): c["value"] for c in field.choices}
        by_label.update({c["value"].casefold(): c["value"] for c in field.choices})
        pick = lambda item: by_label.get(item.strip().casefold(), item.strip())  # noqa: E731
        if field.type == FieldType.CHOICE:
            return pick(text)
        return [pick(item) for item in re.split(r"[;,،、]", text) if item.strip()]
    if field.type == FieldType.MONEY:
        match = _MONEY.match(text)
        if not match:
            return {"amount": text, "currency": ""}
        currency, amount = (match[1], match[2]) if match[1] else (match[4], match[3])
        return {"amount": amount.strip(), "currency": currency}
    return text


def split_custom(values: Mapping[str, str], fields: list[CustomField] | None = None,
                 ) -> tuple[dict[str, str], dict[str, Any], dict[str, list[str]]]:
    """A mapped row's values without its custom columns, the custom values those columns
    give (checked and normalised), and their errors keyed "custom.<key>". `fields`: the
    contact's active custom fields, when the caller has read them already."""
    cells = {k.removeprefix(PREFIX): v for k, v in values.items()
             if k.startswith(PREFIX) and v}
    plain = {k: v for k, v in values.items() if not k.startswith(PREFIX)}
    if not cells:
        return plain, {}, {}
    fields = contact_fields() if fields is None else fields
    by_key = {f.key: f for f in fields}
    raw = {key: _from_cell(by_key[key], text) if key in by_key else text
           for key, text in cells.items()}
    try:
        return plain, clean_custom(Contact.kind_key(), raw, partial=True, fields=fields), {}
    except ValidationError as exc:
        return plain, {}, exc.message_dict
