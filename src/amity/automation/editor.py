"""The rule and sequence editors as data: a draft read from the posted form (or from a
saved rule), and the rows of inputs the templates render, with each error put on the
input of the row it names ("conditions.2.value" → condition 3's value)."""

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from amity.automation.actions import action_type, action_types
from amity.automation.conditions import NO_VALUE, condition_type, condition_types
from amity.automation.kinds import (
    date_fields,
    event_kinds,
    kind_field,
    kind_fields,
    watched_kinds,
)
from amity.automation.models import Trigger
from amity.automation.values import editor_value
from amity.core.custom_fields import FieldType

MAX_ROWS = 50


@dataclass
class Input:
    name: str
    label: str
    widget: str = "text"  # text, textarea, number, date, url, select, multi, checkbox
    value: Any = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    refresh: bool = False  # changing it re-renders the editor (other inputs depend on it)
    datalist: list[tuple[str, str]] = field(default_factory=list)

    @property
    def values(self) -> list[str]:
        return [str(v) for v in self.value] if isinstance(self.value, list) else [str(self.value)]


@dataclass
class Row:
    index: int
    title: str
    inputs: list[Input]
    errors: list[str] = field(default_factory=list)


# --- drafts -------------------------------------------------------------------------------

def _rows(post: QueryDict, prefix: str, params_of) -> list[dict]:
    rows = []
    for index in range(MAX_ROWS):
        key = f"{prefix}{index}-type"
        if key not in post:
            break
        row = {"type": post.get(key, "")}
        for name, multiple in params_of(row["type"]):
            raw = post.getlist(f"{prefix}{index}-{name}") if multiple else \
                post.get(f"{prefix}{index}-{name}", "")
            if raw not in ("", []):
                row[name] = raw
        rows.append(row)
    return rows


def _condition_params(key: str) -> list[tuple[str, bool]]:
    condition = condition_type(key)
    return [(name, False) for name in (condition.inputs if condition else ())]


def _action_params(key: str) -> list[tuple[str, bool]]:
    action = action_type(key)
    return [(p.name, p.kind == "users") for p in (action.params if action else ())]


def rule_draft(post: QueryDict) -> dict[str, Any]:
    """The rule as posted, as the service takes it (values still as typed)."""
    draft = {name: post.get(name, "") for name in
             ("name", "record_kind", "trigger", "event_kind", "date_field", "offset_days",
              "quiet_days")}
    draft["active"] = post.get("active") == "on"
    draft["conditions"] = _rows(post, "c", _condition_params)
    draft["actions"] = _rows(post, "a", _action_params)
    return draft


def sequence_draft(post: QueryDict) -> dict[str, Any]:
    return {"name": post.get("name", ""), "record_kind": post.get("record_kind", ""),
            "steps": _rows(post, "a", _action_params)}


def edit_rows(draft: dict, op: str, *, rows_key: str = "actions") -> dict:
    """Apply an editor button: add or remove a row (no other change)."""
    kind = draft.get("record_kind")
    if op == "add_condition":
        draft["conditions"].append({"type": "field", "field": _first_field(kind)})
    elif op == "add_action":
        draft[rows_key].append({"type": "create_task"})
    elif op.startswith(("remove_condition:", "remove_action:")):
        which, _sep, index = op.partition(":")
        rows = draft["conditions"] if which == "remove_condition" else draft[rows_key]
        if index.isdigit() and int(index) < len(rows):
            rows.pop(int(index))
    return draft


def _first_field(kind: str) -> str:
    try:
        specs = kind_fields(kind)
    except Exception:  # no kind chosen yet
        return ""
    return specs[0].name if specs else ""


def stored_rows(kind: str, rows: list[dict]) -> list[dict]:
    """Stored rows with their values as the editor's inputs show them."""
    shown = []
    for row in rows:
        spec = kind_field(kind, str(row.get("field", ""))) if row.get("field") else None
        shown.append({k: (v if isinstance(v, list) else editor_value(spec, v))
                      for k, v in row.items()})
    return shown


# --- rendering ----------------------------------------------------------------------------

def _errors(errors: dict[str, list[str]], key: str) -> list[str]:
    return [str(m) for m in errors.get(key, [])]


def basic_inputs(draft: dict, errors: dict) -> list[Input]:
    kinds = [(k.key, k.label) for k in watched_kinds()]
    return [
        Input("name", _("Name"), value=draft.get("name", ""), errors=_errors(errors, "name")),
        Input("record_kind", _("Kind of record"), "select", draft.get("record_kind", ""),
              kinds, _errors(errors, "record_kind"), refresh=True),
        Input("active", _("Active"), "checkbox", draft.get("active", False),
              errors=_errors(errors, "active")),
    ]


def trigger_inputs(draft: dict, errors: dict) -> list[Input]:
    kind, trigger = draft.get("record_kind", ""), draft.get("trigger") or Trigger.EVENT
    inputs = [Input("trigger", _("Trigger"), "select", trigger, list(Trigger.choices),
                    _errors(errors, "trigger"), refresh=True)]
    if trigger == Trigger.EVENT:
        inputs.append(Input("event_kind", _("Event"), value=draft.get("event_kind", ""),
                            errors=_errors(errors, "event_kind"),
                            datalist=sorted(event_kinds().items())))
    elif trigger == Trigger.DATE:
        dates = [(s.name, s.label) for s in _safe(date_fields, kind)]
        inputs += [Input("date_field", _("Date field"), "select", draft.get("date_field", ""),
                         dates, _errors(errors, "date_field")),
                   Input("offset_days", _("Days after the date (negative: before)"), "number",
                         draft.get("offset_days", 0), errors=_errors(errors, "offset_days"))]
    else:
        inputs.append(Input("quiet_days", _("Days without events"), "number",
                            draft.get("quiet_days") or "", errors=_errors(errors, "quiet_days")))
    return inputs


def _safe(function, kind):
    try:
        return function(kind)
    except Exception:  # no (valid) kind chosen yet
        return []


def _field_choices(kind: str, *, settable: bool = False) -> list[tuple[str, str]]:
    return [(s.name, s.label) for s in _safe(kind_fields, kind) if s.settable or not settable]


def _value_input(name: str, label: str, kind: str, row: dict, errors: list[str],
                 choices: list[tuple[str, str]] | None = None) -> Input:
    spec = kind_field(kind, str(row.get("field", ""))) if kind and row.get("field") else None
    value = row.get("value", "")
    if choices:
        return Input(name, label, "select", value, [("", "—"), *choices], errors)
    if spec is not None and spec.type == FieldType.BOOLEAN:
        return Input(name, label, "select", value, [("true", _("Yes")), ("false", _("No"))],
                     errors)
    if spec is not None and spec.options:
        return Input(name, label, "select", value, [("", "—"), *spec.options], errors)
    if spec is not None and spec.type == FieldType.DATE:
        return Input(name, label, "date", value, errors=errors)
    return Input(name, label, value=value, errors=errors)


def condition_rows(draft: dict, errors: dict) -> list[Row]:
    kind, rows = draft.get("record_kind", ""), []
    types = [(c.key, str(c.label)) for c in condition_types()]
    for index, row in enumerate(draft.get("conditions", [])):
        prefix, key = f"c{index}-", f"conditions.{index}."
        condition = condition_type(row.get("type", ""))
        inputs = [Input(prefix + "type", _("Condition"), "select", row.get("type", ""), types,
                        _errors(errors, key + "type"), refresh=True)]
        for name in condition.inputs if condition else ():
            errs = _errors(errors, key + name)
            if name == "field":
                inputs.append(Input(prefix + name, _("Field"), "select", row.get(name, ""),
                                    _field_choices(kind), errs, refresh=True))
            elif name == "op":
                ops = condition.op_choices(kind, row) if condition.op_choices and kind else []
                inputs.append(Input(prefix + name, _("Comparison"), "select",
                                    row.get(name, ""), ops, errs, refresh=True))
            elif name == "value" and row.get("op") not in NO_VALUE:
                choices = condition.value_choices(kind, row) if condition.value_choices and \
                    kind else None
                inputs.append(_value_input(prefix + name, _("Value"), kind, row, errs, choices))
        rows.append(Row(index, _("Condition %(n)s") % {"n": index + 1}, inputs,
                        _leftover(errors, key, inputs, prefix)))
    return rows


def action_rows(draft: dict, errors: dict, *, rows_key: str = "actions",
                in_sequence: bool = False) -> list[Row]:
    kind, rows = draft.get("record_kind", ""), []
    types = [(a.key, str(a.label) if a.available else
              _("%(action)s (not connected yet)") % {"action": a.label})
             for a in action_types() if (a.in_sequences if in_sequence else a.in_rules)]
    title = _("Step %(n)s") if in_sequence else _("Action %(n)s")
    for index, row in enumerate(draft.get(rows_key, [])):
        prefix, key = f"a{index}-", f"{rows_key}.{index}."
        action = action_type(row.get("type", ""))
        inputs = [Input(prefix + "type", _("Action"), "select", row.get("type", ""), types,
                        _errors(errors, key + "type"), refresh=True)]
        for param in action.params if action else ():
            inputs.append(_param_input(prefix, kind, param, row, _errors(errors, key + param.name)))
        rows.append(Row(index, title % {"n": index + 1}, inputs,
                        _leftover(errors, key, inputs, prefix)))
    return rows


def _param_input(prefix: str, kind: str, param, row: dict, errors: list[str]) -> Input:
    from amity.org.models import Team, User

    name, label, value = prefix + param.name, str(param.label), row.get(param.name, "")
    if param.kind == "value":
        return _value_input(name, label, kind, row, errors)
    widgets = {"textarea": "textarea", "int": "number", "url": "url"}
    if param.kind in widgets:
        return Input(name, label, widgets[param.kind], value, errors=errors)
    if param.kind in ("user", "users"):
        users = [(str(u.pk), str(u)) for u in User.objects.filter(is_active=True)]
        if param.kind == "users":
            return Input(name, label, "multi", value if isinstance(value, list) else [value],
                         users, errors)
        return Input(name, label, "select", value, [("", "—"), *users], errors)
    if param.kind == "team":
        teams = [(str(t.pk), str(t)) for t in Team.objects.all()]
        return Input(name, label, "select", value, [("", "—"), *teams], errors)
    if param.kind == "field":
        return Input(name, label, "select", value, [("", "—"), *_field_choices(
            kind, settable=True)], errors, refresh=True)
    if param.kind == "choice":
        choices = param.choices(kind) if param.choices and kind else []
        return Input(name, label, "select", value, [("", "—"), *choices], errors)
    return Input(name, label, value=value, errors=errors)


def _leftover(errors: dict, key: str, inputs: list[Input], prefix: str) -> list[str]:
    """Errors about the row that no input shows (a setting the row does not offer)."""
    shown = {i.name.removeprefix(prefix) for i in inputs}
    return [f"{name.removeprefix(key)}: {m}" for name, messages in errors.items()
            if name.startswith(key) and name.removeprefix(key) not in shown
            for m in messages]


def error_summary(errors: dict[str, list[str]], rows_key: str = "actions") -> list[str]:
    """Every error as one line naming its row: "Condition 2 · value: Enter a number."."""
    lines = []
    for name, messages in errors.items():
        parts = name.split(".")
        if len(parts) == 3 and parts[1].isdigit():
            what = {"conditions": _("Condition %(n)s"), "actions": _("Action %(n)s"),
                    "steps": _("Step %(n)s")}.get(parts[0], parts[0] + " %(n)s")
            label = f"{what % {'n': int(parts[1]) + 1}} · {parts[2]}"
        else:
            label = name if name != "__all__" else ""
        lines += [f"{label}: {m}" if label else str(m) for m in messages]
    return lines
