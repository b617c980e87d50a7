"""Conditions of a rule: a registry of condition types, and the built-in ones (field
comparisons, tags, "field changed" / "changed to" for updated events).

A condition about the record's state is a Q, so the same definition checks one record
when a rule runs and finds every matching record in a dry run. A condition about the
event (what changed) is a check on the event's payload."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, CharField, DecimalField, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    IContains,
    IExact,
    LessThan,
    LessThanOrEqual,
)
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.automation.kinds import FieldSpec, kind_field, watched_kind
from amity.automation.values import clean_value, show_value
from amity.core.custom_fields import FieldType
from amity.core.tags import MAX_TAG_LENGTH, parse_tags

OPS: dict[str, Promise] = {
    "equals": gettext_lazy("is"),
    "not_equals": gettext_lazy("is not"),
    "contains": gettext_lazy("contains"),
    "gt": gettext_lazy("is greater than / after"),
    "gte": gettext_lazy("is at least"),
    "lt": gettext_lazy("is less than / before"),
    "lte": gettext_lazy("is at most"),
    "is_empty": gettext_lazy("is empty"),
    "not_empty": gettext_lazy("is not empty"),
}
ORDERED = ("equals", "not_equals", "gt", "gte", "lt", "lte", "is_empty", "not_empty")
OPS_BY_TYPE: dict[str, tuple[str, ...]] = {
    FieldType.TEXT: ("equals", "not_equals", "contains", "is_empty", "not_empty"),
    FieldType.CHOICE: ("equals", "not_equals", "is_empty", "not_empty"),
    FieldType.MULTI_CHOICE: ("contains", "is_empty", "not_empty"),
    FieldType.NUMBER: ORDERED,
    FieldType.MONEY: ORDERED,
    FieldType.DATE: ORDERED,
    FieldType.BOOLEAN: ("equals",),
}
NO_VALUE = ("is_empty", "not_empty")
_LOOKUPS = {"equals": Exact, "gt": GreaterThan, "gte": GreaterThanOrEqual, "lt": LessThan,
            "lte": LessThanOrEqual}
_DJANGO_LOOKUP = {"equals": "exact", "gt": "gt", "gte": "gte", "lt": "lt", "lte": "lte"}


@dataclass(frozen=True)
class ConditionType:
    """A kind of condition. `inputs` are the editor's inputs it uses ("field", "op",
    "value"); `clean(kind, row) -> row` checks them (ValidationError keyed by input);
    `q(kind, row)` selects the records in that state; `on_event(event, row)` checks the
    event instead; `describe(kind, row)` says it in words."""

    key: str
    label: Promise | str
    inputs: tuple[str, ...]
    clean: Callable[[str, dict], dict]
    describe: Callable[[str, dict], str]
    q: Callable[[str, dict], Q] | None = None
    on_event: Callable[[Any, dict], bool] | None = None
    event_kinds: tuple[str, ...] = ()  # only for rules triggered by these events
    op_choices: Callable[[str, dict], list[tuple[str, str]]] | None = None
    value_choices: Callable[[str, dict], list[tuple[str, str]]] | None = None


_TYPES: dict[str, ConditionType] = {}


def register_condition(condition: ConditionType) -> None:
    """Add a condition type (e.g. marketing's segment membership)."""
    _TYPES[condition.key] = condition


def condition_types() -> list[ConditionType]:
    return list(_TYPES.values())


def condition_type(key: str) -> ConditionType | None:
    return _TYPES.get(key)


# --- field comparisons -----------------------------------------------------------------

def _spec(kind: str, row: dict) -> FieldSpec:
    spec = kind_field(kind, str(row.get("field") or ""))
    if spec is None:
        raise ValidationError({"field": [_("Choose a field of this kind of record.")]})
    return spec


def field_ops(kind: str, row: dict) -> list[tuple[str, str]]:
    spec = kind_field(kind, str(row.get("field") or ""))
    keys = OPS_BY_TYPE.get(spec.type, ()) if spec else ()
    return [(key, str(OPS[key])) for key in keys]


def field_value_choices(kind: str, row: dict) -> list[tuple[str, str]]:
    spec = kind_field(kind, str(row.get("field") or ""))
    if spec is None:
        return []
    if spec.type == FieldType.BOOLEAN:
        return [("true", _("Yes")), ("false", _("No"))]
    return list(spec.options)


def _clean_comparison(kind: str, row: dict) -> dict:
    spec = _spec(kind, row)
    op = row.get("op")
    if op not in OPS_BY_TYPE.get(spec.type, ()):
        raise ValidationError({"op": [_("This comparison does not apply to %(field)s.")
                                      % {"field": spec.label}]})
    cleaned = {"type": row["type"], "field": spec.name, "op": op}
    if op not in NO_VALUE:
        raw = row.get("value")
        if spec.type == FieldType.MULTI_CHOICE and not isinstance(raw, list):
            raw = [raw]  # "holds this one choice"
        try:
            value = clean_value(spec, raw)
        except ValidationError as exc:
            raise ValidationError({"value": exc.messages}) from exc
        cleaned["value"] = value[0] if spec.type == FieldType.MULTI_CHOICE else value
    return cleaned


def _describe_comparison(kind: str, row: dict) -> str:
    spec = kind_field(kind, row.get("field", ""))
    label = spec.label if spec else row.get("field", "")
    text = f"{label} {OPS.get(row.get('op'), row.get('op'))}"
    if "value" in row:
        text += f" {show_value(spec, row['value']) if spec else row['value']}"
    return text


def _comparison_q(kind: str, row: dict) -> Q:
    spec = kind_field(kind, row["field"])
    if spec is None:  # the field was archived or removed since: the rule no longer matches
        return Q(pk__in=[])
    if spec.custom_key:
        return _custom_q(spec, row["op"], row.get("value"))
    return _builtin_q(spec, row["op"], row.get("value"))


def _builtin_q(spec: FieldSpec, op: str, value: Any) -> Q:
    name = spec.name + ("_id" if spec.name in ("owner", "team") else "")
    if op in NO_VALUE:
        empty = Q(**{f"{name}__isnull": True})
        if spec.type == FieldType.TEXT or (spec.type == FieldType.CHOICE
                                           and spec.name not in ("owner", "team")):
            empty |= Q(**{name: ""})
        return empty if op == "is_empty" else ~empty
    if spec.type == FieldType.TEXT:
        text = Q(**{f"{name}__{'icontains' if op == 'contains' else 'iexact'}": value})
        return ~text if op == "not_equals" else text
    if spec.type == FieldType.MONEY:
        lookup = _DJANGO_LOOKUP["equals" if op == "not_equals" else op]
        q = Q(**{f"{name}__{lookup}": Decimal(value["amount"]),
                 spec.currency_field: value["currency"]})
        return ~q if op == "not_equals" else q
    if spec.type == FieldType.DATE:
        value = dt.date.fromisoformat(value)
        name = f"{name}__date" if spec.is_datetime else name
    elif spec.type == FieldType.NUMBER:
        value = Decimal(value)
    lookup = _DJANGO_LOOKUP["equals" if op == "not_equals" else op]
    q = Q(**{f"{name}__{lookup}": value})
    return ~q if op == "not_equals" else q


def _custom_q(spec: FieldSpec, op: str, value: Any) -> Q:
    key = spec.custom_key
    present = Q(custom__has_key=key)
    if op in NO_VALUE:
        return ~present if op == "is_empty" else present
    if spec.type == FieldType.MULTI_CHOICE:
        return _list_holds(key, value)
    if spec.type == FieldType.BOOLEAN:
        return Q(**{f"custom__{key}": value})
    if spec.type == FieldType.MONEY:
        amount = Cast(KT(f"custom__{key}__amount"), DecimalField(max_digits=30, decimal_places=6))
        lookup = _LOOKUPS["equals" if op == "not_equals" else op]
        q = Q(lookup(amount, Decimal(value["amount"]))) & Q(
            Exact(Cast(KT(f"custom__{key}__currency"), CharField()), value["currency"]))
        return (~present | ~q) if op == "not_equals" else q
    if spec.type == FieldType.NUMBER:
        operand, value = (Cast(KT(f"custom__{key}"), DecimalField(max_digits=30,
                                                                    decimal_places=6)),
                          Decimal(value))
    else:  # text, choice and date (ISO strings compare in date order)
        operand = Cast(KT(f"custom__{key}"), CharField())
    if spec.type == FieldType.TEXT and op in ("equals", "not_equals", "contains"):
        lookup = IContains if op == "contains" else IExact
    else:
        lookup = _LOOKUPS["equals" if op == "not_equals" else op]
    q = Q(lookup(operand, value))
    return (~present | ~q) if op == "not_equals" else q


def _list_holds(key: str, value: str) -> Q:
    """Records whose multi-choice value `key` holds `value`."""
    if connection.vendor == "postgresql":
        return Q(**{f"custom__{key}__contains": [value]})
    # The key is a slug (validate_key) and goes in as a parameter, like the value.
    sql = "EXISTS (SELECT 1 FROM json_each(custom, %s) WHERE value = %s)"
    return Q(RawSQL(sql, [f"$.{key}", value], output_field=BooleanField()))  # noqa: S611


# --- tags -------------------------------------------------------------------------------

def _clean_tag(kind: str, row: dict) -> dict:
    if not any(f.name == "tags" for f in watched_kind(kind).model._meta.get_fields()):
        raise ValidationError({"type": [_("This kind of record has no tags.")]})
    names = parse_tags(str(row.get("value") or ""))
    if len(names) != 1:
        raise ValidationError({"value": [_("Enter one tag.")]})
    if len(names[0]) > MAX_TAG_LENGTH:
        raise ValidationError({"value": [_("A tag may have at most %(max)s characters.")
                                         % {"max": MAX_TAG_LENGTH}]})
    op = row.get("op") or "has"
    if op not in ("has", "lacks"):
        raise ValidationError({"op": [_("Choose has or has not.")]})
    return {"type": row["type"], "op": op, "value": names[0]}


def _tag_q(kind: str, row: dict) -> Q:
    through = watched_kind(kind).model.tags.through
    tagged = through.objects.filter(tag__name__iexact=row["value"]).values("content_object_id")
    q = Q(pk__in=Subquery(tagged))
    return ~q if row["op"] == "lacks" else q


def _describe_tag(kind: str, row: dict) -> str:
    if row.get("op") == "lacks":
        return _("has not the tag %(tag)s") % {"tag": row.get("value")}
    return _("has the tag %(tag)s") % {"tag": row.get("value")}


def _tag_ops(kind: str, row: dict) -> list[tuple[str, str]]:
    return [("has", _("has")), ("lacks", _("has not"))]


# --- what changed (updated events) -------------------------------------------------------

def _clean_changed(kind: str, row: dict) -> dict:
    return {"type": row["type"], "field": _spec(kind, row).name}


def _clean_changed_to(kind: str, row: dict) -> dict:
    cleaned = _clean_comparison(kind, {**row, "op": "equals"})
    return {"type": row["type"], "field": cleaned["field"], "value": cleaned["value"]}


def _changed(event, row: dict) -> bool:
    return row["field"] in (event.payload or {}).get("changes", {})


def _changed_to_q(kind: str, row: dict) -> Q:
    return _comparison_q(kind, {"field": row["field"], "op": "equals", "value": row["value"]})


def _describe_changed(kind: str, row: dict) -> str:
    spec = kind_field(kind, row.get("field", ""))
    return _("%(field)s changed") % {"field": spec.label if spec else row.get("field")}


def _describe_changed_to(kind: str, row: dict) -> str:
    spec = kind_field(kind, row.get("field", ""))
    value = show_value(spec, row.get("value")) if spec else row.get("value")
    return _("%(field)s changed to %(value)s") % {
        "field": spec.label if spec else row.get("field"), "value": value}


register_condition(ConditionType(
    "field", gettext_lazy("Field"), ("field", "op", "value"), _clean_comparison,
    _describe_comparison, q=_comparison_q, op_choices=field_ops,
    value_choices=field_value_choices))
register_condition(ConditionType(
    "tag", gettext_lazy("Tag"), ("op", "value"), _clean_tag, _describe_tag, q=_tag_q,
    op_choices=_tag_ops))
register_condition(ConditionType(
    "changed", gettext_lazy("Field changed"), ("field",), _clean_changed, _describe_changed,
    on_event=_changed, event_kinds=("updated",)))
register_condition(ConditionType(
    "changed_to", gettext_lazy("Field changed to"), ("field", "value"), _clean_changed_to,
    _describe_changed_to, q=_changed_to_q, on_event=_changed, event_kinds=("updated",),
    value_choices=field_value_choices))


# --- a rule's conditions ----------------------------------------------------------------

def clean_conditions(kind: str, rows: Any, *, event_kind: str | None) -> list[dict]:
    """The rows checked; errors keyed "conditions.<n>.<input>"."""
    if not isinstance(rows, list):
        raise ValidationError({"conditions": [_("Give a list of conditions.")]})
    cleaned, errors = [], {}
    for index, row in enumerate(rows):
        try:
            cleaned.append(clean_condition(kind, row, event_kind=event_kind))
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors[f"conditions.{index}.{name}"] = messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_condition(kind: str, row: Any, *, event_kind: str | None) -> dict:
    if not isinstance(row, dict):
        raise ValidationError({"type": [_("Give the condition as an object.")]})
    condition = condition_type(str(row.get("type") or ""))
    if condition is None:
        raise ValidationError({"type": [_("Choose a kind of condition.")]})
    if condition.event_kinds and event_kind not in condition.event_kinds:
        raise ValidationError({"type": [_("This condition needs a rule started by: %(kinds)s.")
                                        % {"kinds": ", ".join(condition.event_kinds)}]})
    return condition.clean(kind, row)


def state_q(kind: str, rows: list[dict]) -> Q:
    """The records in the state all the conditions ask for."""
    q = Q()
    for row in rows:
        condition = condition_type(row["type"])
        if condition is None:
            return Q(pk__in=[])  # a condition type that is gone: match nothing, not everything
        if condition.q is not None:
            q &= condition.q(kind, row)
    return q


def event_holds(rows: list[dict], event) -> bool:
    """Whether the event-dependent conditions hold for `event` (all of them)."""
    for row in rows:
        condition = condition_type(row["type"])
        if condition is not None and condition.on_event is not None \
                and (event is None or not condition.on_event(event, row)):
            return False
    return True


def describe_conditions(kind: str, rows: list[dict]) -> list[str]:
    described = []
    for row in rows:
        condition = condition_type(row.get("type", ""))
        described.append(condition.describe(kind, row) if condition else str(row))
    return described


__all__ = ["ConditionType", "clean_conditions", "condition_types", "describe_conditions",
           "event_holds", "register_condition", "state_q"]
