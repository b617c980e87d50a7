"""Saving rules and sequences (administrators only), with every input checked and each
error named by its field ("conditions.2.value" for the third condition's value)."""

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from amity.automation.actions import clean_actions
from amity.automation.conditions import clean_conditions
from amity.automation.kinds import clean_event_kind, date_fields, watched_kind
from amity.automation.models import Rule, Sequence, Trigger
from amity.automation.subscriptions import forget_watched

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_DAYS = 3650
RULE_FIELDS = ("name", "active", "record_kind", "trigger", "event_kind", "date_field",
               "offset_days", "quiet_days", "conditions", "actions")


def _name(raw: Any) -> str:
    name = raw.strip() if isinstance(raw, str) else ""
    if not name:
        raise ValidationError({"name": [_("Give the rule a name.")]})
    if len(name) > 200:
        raise ValidationError({"name": [_("Enter at most %(n)s characters.") % {"n": 200}]})
    if _CONTROL.search(name):
        raise ValidationError({"name": [_("Remove the control characters.")]})
    return name


def _days(name: str, raw: Any, low: int) -> int:
    try:
        value = int(str(raw).strip()) if not isinstance(raw, bool) and raw is not None else None
    except ValueError:
        value = None
    if value is None or not low <= value <= MAX_DAYS:
        raise ValidationError({name: [_("Enter a whole number of days from %(min)s to %(max)s.")
                                      % {"min": low, "max": MAX_DAYS}]})
    return value


def _trigger(kind: str, data: dict) -> dict:
    trigger = data.get("trigger") or Trigger.EVENT
    if trigger not in Trigger.values:
        raise ValidationError({"trigger": [_("Choose a trigger.")]})
    cleaned = {"trigger": trigger, "event_kind": "", "date_field": "", "offset_days": 0,
               "quiet_days": None}
    if trigger == Trigger.EVENT:
        cleaned["event_kind"] = clean_event_kind(data.get("event_kind"))
    elif trigger == Trigger.DATE:
        if data.get("date_field") not in {spec.name for spec in date_fields(kind)}:
            raise ValidationError({"date_field": [_("Choose a date field of this kind of "
                                                    "record.")]})
        cleaned["date_field"] = data["date_field"]
        cleaned["offset_days"] = _days("offset_days", data.get("offset_days", 0), -MAX_DAYS)
    else:
        cleaned["quiet_days"] = _days("quiet_days", data.get("quiet_days"), 1)
    return cleaned


def rule_clean(data: dict[str, Any]) -> dict[str, Any]:
    """A rule's fields checked and normalised; ValidationError names each bad field."""
    unknown = sorted(set(data) - set(RULE_FIELDS))
    if unknown:
        raise ValidationError({name: [_("Unknown field: it is not accepted here.")]
                               for name in unknown[:20]})
    errors: dict[str, list] = {}
    cleaned: dict[str, Any] = {"active": bool(data.get("active", False))}
    try:
        cleaned["name"] = _name(data.get("name"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        kind = watched_kind(str(data.get("record_kind") or "")).key
    except ValidationError as exc:
        errors.update(exc.message_dict)
        raise ValidationError(errors) from exc
    cleaned["record_kind"] = kind
    try:
        cleaned.update(_trigger(kind, data))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    event_kind = cleaned.get("event_kind") if cleaned.get("trigger") == Trigger.EVENT else None
    for name, clean in (
        ("conditions", lambda: clean_conditions(kind, data.get("conditions", []),
                                                event_kind=event_kind)),
        ("actions", lambda: clean_actions(kind, data.get("actions", []))),
    ):
        try:
            cleaned[name] = clean()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if "actions" in cleaned and not cleaned["actions"]:
        errors["actions"] = [_("Add at least one action.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def rule_save(*, actor, rule: Rule, data: dict[str, Any], partial: bool = False) -> Rule:
    """Create or change a rule; its actions will run as `actor`. With `partial`, fields
    not in `data` keep their stored values (an API PATCH)."""
    if not actor.is_administrator:
        raise PermissionDenied
    if partial and rule.pk:
        stored = {name: getattr(rule, name) for name in RULE_FIELDS}
        data = {**stored, **data}
    cleaned = rule_clean(data)
    if cleaned["active"] and not rule.active:
        rule.active_since = timezone.now()
    for name, value in cleaned.items():
        setattr(rule, name, value)
    rule.run_as = actor
    with transaction.atomic():
        if rule.pk is None:  # a new rule runs after the others
            last = Rule.objects.aggregate(last=Max("position"))["last"]
            rule.position = 0 if last is None else last + 1
        rule.save()
        forget_watched()
    return rule


def rule_move(*, actor, rule: Rule, direction: str) -> Rule:
    """Move a rule one place up or down the list, which is the order rules an event
    starts run in (the first or last one stays where it is)."""
    if not actor.is_administrator:
        raise PermissionDenied
    if direction not in ("up", "down"):
        raise ValidationError({"direction": [_("Use up or down.")]})
    with transaction.atomic():
        rules = list(Rule.objects.select_for_update().order_by("position", "id"))
        index = next((i for i, r in enumerate(rules) if r.pk == rule.pk), None)
        if index is None:
            raise Rule.DoesNotExist
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(rules):
            rules[index], rules[other] = rules[other], rules[index]
        for position, each in enumerate(rules):  # renumbered: no two rules share a place
            each.position = position
        Rule.objects.bulk_update(rules, ["position"])
    rule.position = next(r.position for r in rules if r.pk == rule.pk)
    return rule


def rule_set_active(*, actor, rule: Rule, active: bool) -> Rule:
    """Switch a rule on or off."""
    if not actor.is_administrator:
        raise PermissionDenied
    if active and not rule.active:
        rule.active_since = timezone.now()
    rule.active = active
    with transaction.atomic():
        rule.save(update_fields=["active", "active_since", "updated_at"])
        forget_watched()
    return rule


def rule_delete(*, actor, rule: Rule) -> None:
    """Remove a rule with its run log (the timeline keeps its automation.ran events)."""
    if not actor.is_administrator:
        raise PermissionDenied
    with transaction.atomic():
        rule.delete()
        forget_watched()


def sequence_clean(data: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(data) - {"name", "record_kind", "steps"})
    if unknown:
        raise ValidationError({name: [_("Unknown field: it is not accepted here.")]
                               for name in unknown[:20]})
    errors: dict[str, list] = {}
    cleaned: dict[str, Any] = {}
    try:
        cleaned["name"] = _name(data.get("name"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    kind = watched_kind(str(data.get("record_kind") or "")).key
    cleaned["record_kind"] = kind
    try:
        cleaned["steps"] = clean_actions(kind, data.get("steps", []), prefix="steps",
                                         in_sequence=True)
        if not cleaned["steps"]:
            errors["steps"] = [_("Add at least one step.")]
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


def sequence_save(*, actor, sequence: Sequence, data: dict[str, Any]) -> Sequence:
    """Create or change a sequence (administrators only); its kind is fixed once used."""
    if not actor.is_administrator:
        raise PermissionDenied
    cleaned = sequence_clean(data)
    if sequence.pk and cleaned["record_kind"] != sequence.record_kind \
            and sequence.enrollments.exists():
        raise ValidationError({"record_kind": [_("Records are in this sequence; its kind "
                                                 "cannot change.")]})
    for name, value in cleaned.items():
        setattr(sequence, name, value)
    sequence.save()
    return sequence
