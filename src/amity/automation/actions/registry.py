"""The registry of actions a rule can run, their parameters, and how a rule's action rows
are checked. Other apps add actions with `register_action`, or connect a declared one
with `wire_action` (send email, SMS, webhook, notify)."""

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from amity.automation.kinds import kind_field, kind_fields
from amity.automation.values import clean_value

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ActionNotAvailable(Exception):
    """A declared action that nothing carries out yet."""


@dataclass(frozen=True)
class Param:
    """One parameter of an action, as the editor shows it and the rule stores it.

    kind: text, textarea, int, choice, user, users, team, field (a settable field of the
    rule's record kind), value (a value for the row's "field"), url."""

    name: str
    label: Promise | str
    kind: str = "text"
    required: bool = True
    max_length: int = 200
    min_value: int = 0
    max_value: int = 3650
    choices: Callable[[str], list[tuple[str, str]]] | None = None  # kind -> choices
    help: Promise | str = ""


@dataclass
class ActionContext:
    """What an action runs on: the rule, the record, the event (if any), the user the
    actions run as, and the causing chain."""

    rule: Any
    record: Any
    actor: Any
    event: Any = None
    chain: tuple[int, ...] = ()
    enrollment: Any = None


Run = Callable[[ActionContext, dict], str]


@dataclass(frozen=True)
class ActionType:
    key: str
    label: Promise | str
    params: tuple[Param, ...]
    run: Run  # (context, params) -> what it did, in words; raises on failure
    clean: Callable[[str, dict], dict] | None = None  # cross-parameter checks
    describe: Callable[[str, dict], str] | None = None
    available: bool = True
    in_sequences: bool = True
    in_rules: bool = True


_ACTIONS: dict[str, ActionType] = {}


def register_action(key: str, label: Promise | str, params: tuple[Param, ...] | list[Param],
                    run: Run | None = None, **options: Any) -> ActionType:
    """Declare an action. Without `run` it is listed but fails with "not connected yet"
    until `wire_action` gives it one."""
    action = ActionType(key, label, tuple(params), run or _not_available,
                        available=run is not None, **options)
    _ACTIONS[key] = action
    return action


def wire_action(key: str, run: Run) -> ActionType:
    """Give a declared action the function that carries it out."""
    _ACTIONS[key] = replace(_ACTIONS[key], run=run, available=True)
    return _ACTIONS[key]


def _not_available(context: ActionContext, params: dict) -> str:
    raise ActionNotAvailable(_("This action is not connected yet."))


def action_types() -> list[ActionType]:
    return list(_ACTIONS.values())


def action_type(key: str) -> ActionType | None:
    return _ACTIONS.get(key)


# --- checking parameters ----------------------------------------------------------------

def _text(param: Param, raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValidationError(_("Enter text."))
    value = raw.strip()
    if len(value) > param.max_length:
        raise ValidationError(_("Enter at most %(n)s characters.") % {"n": param.max_length})
    if _CONTROL.search(value):
        raise ValidationError(_("Remove the control characters."))
    return value


def _int(param: Param, raw: Any) -> int:
    try:
        value = int(str(raw).strip()) if not isinstance(raw, bool) else None
    except ValueError:
        value = None
    if value is None:
        raise ValidationError(_("Enter a whole number."))
    if not param.min_value <= value <= param.max_value:
        raise ValidationError(_("Enter a number from %(min)s to %(max)s.")
                              % {"min": param.min_value, "max": param.max_value})
    return value


def _user(raw: Any) -> int:
    from amity.org.models import User

    pk = _id(raw)
    if pk is None or not User.objects.filter(pk=pk, is_active=True).exists():
        raise ValidationError(_("Choose an active user."))
    return pk


def _team(raw: Any) -> int:
    from amity.org.models import Team

    pk = _id(raw)
    if pk is None or not Team.objects.filter(pk=pk).exists():
        raise ValidationError(_("Choose a team."))
    return pk


def _id(raw: Any) -> int | None:
    try:
        pk = int(str(raw).strip()) if not isinstance(raw, bool) else 0
    except ValueError:
        return None
    return pk if 0 < pk < 2**63 else None


def _clean_param(kind: str, param: Param, raw: Any, row: dict) -> Any:
    if param.kind in ("text", "textarea"):
        return _text(param, raw)
    if param.kind == "int":
        return _int(param, raw)
    if param.kind == "user":
        return _user(raw)
    if param.kind == "users":
        values = raw if isinstance(raw, list) else [raw]
        if len(values) > 100:
            raise ValidationError(_("Choose at most 100 users."))
        return sorted({_user(value) for value in values})
    if param.kind == "team":
        return _team(raw)
    if param.kind == "url":
        url = _text(param, raw)
        URLValidator(schemes=["http", "https"],
                     message=_("Enter a web address starting with https://."))(url)
        return url
    if param.kind == "field":
        spec = kind_field(kind, str(raw))
        if spec is None or not spec.settable:
            raise ValidationError(_("Choose a field that rules can set."))
        return spec.name
    if param.kind == "value":
        spec = kind_field(kind, str(row.get("field") or ""))
        if spec is None:
            raise ValidationError(_("Choose the field first."))
        return clean_value(spec, raw)
    if param.kind == "choice":
        choices = dict(param.choices(kind)) if param.choices else {}
        if str(raw) not in choices:
            raise ValidationError(_("Choose one of the offered values."))
        return str(raw)
    raise ValidationError(_("Unknown parameter."))


def clean_action(kind: str, row: Any, *, in_sequence: bool = False) -> dict:
    """One action row checked: {"type": …, param: value, …}; errors keyed by parameter."""
    if not isinstance(row, dict):
        raise ValidationError({"type": [_("Give the action as an object.")]})
    action = action_type(str(row.get("type") or ""))
    if action is None or not (action.in_sequences if in_sequence else action.in_rules):
        raise ValidationError({"type": [_("Choose an action.")]})
    known = {p.name for p in action.params} | {"type"}
    errors = {name: [_("This action has no such setting.")] for name in row if name not in known}
    cleaned = {"type": action.key}
    for param in action.params:
        raw = row.get(param.name)
        if raw is None or raw == "" or raw == []:
            if param.required:
                errors[param.name] = [_("This field is required.")]
            continue
        try:
            cleaned[param.name] = _clean_param(kind, param, raw, cleaned)
        except ValidationError as exc:
            errors[param.name] = exc.messages
    if not errors and action.clean is not None:
        try:
            cleaned = action.clean(kind, cleaned)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_actions(kind: str, rows: Any, *, prefix: str = "actions",
                  in_sequence: bool = False) -> list[dict]:
    """Rows checked in order; errors keyed "<prefix>.<n>.<parameter>"."""
    if not isinstance(rows, list):
        raise ValidationError({prefix: [_("Give a list of actions.")]})
    if len(rows) > 50:
        raise ValidationError({prefix: [_("Give at most 50 actions.")]})
    cleaned, errors = [], {}
    for index, row in enumerate(rows):
        try:
            cleaned.append(clean_action(kind, row, in_sequence=in_sequence))
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors[f"{prefix}.{index}.{name}"] = messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def describe_action(kind: str, row: dict) -> str:
    action = action_type(row.get("type", ""))
    if action is None:
        return str(row.get("type"))
    if action.describe is not None:
        return action.describe(kind, row)
    return str(action.label)


def settable_fields(kind: str) -> list[tuple[str, str]]:
    return [(spec.name, spec.label) for spec in kind_fields(kind) if spec.settable]
