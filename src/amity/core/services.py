"""Operations every business record shares: create, change, assign, delete, restore.

Each checks the user's grant, validates, writes in one transaction, and appends
an event (which is also the record's field history)."""

from typing import Any

from concurrency.exceptions import RecordModifiedError
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amity.core.access import grant_for
from amity.core.custom_fields import clean_custom, custom_changes, merge_custom
from amity.core.models import SYSTEM_FIELDS, OwnedRecord
from amity.core.tags import clean_tags, tag_fields, tags_text
from amity.events.services import publish


class StaleRecord(Exception):
    """Someone else changed the record after the caller loaded it."""


def display_value(record: OwnedRecord, name: str) -> str | None:
    """A field of `record` as people read it (choice labels, related names); None if empty."""
    if name in tag_fields(type(record)):
        return tags_text(getattr(record, name).all()) or None
    field = record._meta.get_field(name)
    value = getattr(record, name)
    if value is None or value == "":
        return None
    if field.choices:
        return str(getattr(record, f"get_{name}_display")())
    return str(value)


def _check_fields(model: type[OwnedRecord], data: dict[str, Any]) -> None:
    editable = {f.name for f in model._meta.concrete_fields if f.editable} - SYSTEM_FIELDS
    editable |= tag_fields(model)
    unknown = sorted(set(data) - editable)
    if unknown:
        raise ValidationError({name: [_("This field cannot be set.")] for name in unknown})


def _check_references(model: type[OwnedRecord], user, data: dict[str, Any]) -> None:
    """A record may only point at records the user can see (no linking by guessed id)."""
    errors = {}
    for name, value in data.items():
        related = model._meta.get_field(name).related_model
        if value is None or related is None or not issubclass(related, OwnedRecord):
            continue
        if not related.objects.visible_to(user).filter(pk=value.pk).exists():
            errors[name] = [_("Select a valid choice.")]
    if errors:
        raise ValidationError(errors)


def _split_tags(model: type[OwnedRecord], data: dict[str, Any]):
    """(field values, {tag field: cleaned names}) from the values a caller gives."""
    names = tag_fields(model) & set(data)
    tags = {name: clean_tags(name, data[name] or []) for name in names}
    return {k: v for k, v in data.items() if k not in names}, tags


def _set_tags(record: OwnedRecord, tags: dict[str, list[str]]) -> None:
    for name, names in tags.items():
        getattr(record, name).set(names)
        # A list endpoint may have prefetched the old tags; read the new ones afresh.
        getattr(record, "_prefetched_objects_cache", {}).pop(name, None)


def record_create(*, model: type[OwnedRecord], user, data: dict[str, Any]) -> OwnedRecord:
    """Create a record owned by `user` (and their team) from validated field values
    (a tag field takes a list of names)."""
    if not grant_for(user, model.kind_key()).can_create:
        raise PermissionDenied
    _check_fields(model, data)
    fields, tags = _split_tags(model, data)
    _check_references(model, user, fields)
    fields = _with_custom(model, fields, stored={}, partial=False)
    record = model(**fields, owner=user, team=user.team, created_by=user, updated_by=user)
    record.full_clean()
    with transaction.atomic():
        record.save()
        _set_tags(record, tags)
        changes = {
            name: {"old": None, "new": display_value(record, name)}
            for name in data if name != "custom" and display_value(record, name) is not None
        }
        changes.update(_custom_changes(record, {}, fields))
        publish(subject=record, kind="created", actor=user, payload={"changes": changes})
    return record


def record_update(
    *, record: OwnedRecord, user, data: dict[str, Any], version: int | None = None
) -> OwnedRecord:
    """Change fields of a record the user may edit; refuse if `version` is stale."""
    if not type(record).objects.editable_by(user).filter(pk=record.pk).exists():
        raise PermissionDenied
    _check_fields(type(record), data)
    fields, tags = _split_tags(type(record), data)
    _check_references(type(record), user, fields)
    stored_custom = dict(getattr(record, "custom", None) or {})
    fields = _with_custom(type(record), fields, stored=stored_custom, partial=True)
    before = {name: display_value(record, name) for name in data if name != "custom"}
    for name, value in fields.items():
        setattr(record, name, value)
    if version is not None:
        record.version = version
    record.updated_by = user
    record.full_clean()
    with transaction.atomic():
        _save_checked(record)
        _set_tags(record, tags)
        changes = {
            name: {"old": before[name], "new": display_value(record, name)}
            for name in before if before[name] != display_value(record, name)
        }
        changes.update(_custom_changes(record, stored_custom, fields))
        if changes:
            publish(subject=record, kind="updated", actor=user, payload={"changes": changes})
    return record


def _with_custom(model: type[OwnedRecord], data: dict[str, Any], *, stored: dict[str, Any],
                 partial: bool) -> dict[str, Any]:
    """`data` with its custom values validated and applied to the stored ones: a create
    checks every field (required ones too), an update only the keys it gives."""
    if "custom" not in data:
        return data
    cleaned = clean_custom(model.kind_key(), data["custom"], partial=partial)
    return {**data, "custom": merge_custom(stored, cleaned)}


def _custom_changes(record: OwnedRecord, old: dict[str, Any], data: dict[str, Any]) -> dict:
    if "custom" not in data:
        return {}
    return custom_changes(type(record).kind_key(), old, data["custom"])


def record_assign(*, record: OwnedRecord, user, owner, team=None) -> OwnedRecord:
    """Hand a record to another owner (and team)."""
    if not type(record).objects.editable_by(user).filter(pk=record.pk).exists():
        raise PermissionDenied
    if not owner.is_active:
        raise ValidationError({"owner": [_("This user is not active.")]})
    changes = {}
    for name, value in (("owner", owner), ("team", team)):
        old = getattr(record, name)
        if old != value:
            changes[name] = {"old": str(old) if old else None, "new": str(value) if value else None}
            setattr(record, name, value)
    record.updated_by = user
    with transaction.atomic():
        _save_checked(record)
        publish(subject=record, kind="assigned", actor=user, payload={"changes": changes})
    return record


def record_delete(*, record: OwnedRecord, user, version: int | None = None) -> None:
    """Move a record to the recycle bin."""
    if not type(record).objects.deletable_by(user).filter(pk=record.pk).exists():
        raise PermissionDenied
    if version is not None:
        record.version = version
    record.deleted_by = user
    with transaction.atomic():
        try:
            record.delete()
        except RecordModifiedError as exc:
            raise StaleRecord from exc
        publish(subject=record, kind="deleted", actor=user)


def record_restore(*, record: OwnedRecord, user) -> None:
    """Bring a record back from the recycle bin (administrators only)."""
    if not user.is_administrator:
        raise PermissionDenied
    with transaction.atomic():
        record.deleted_by = None
        record.undelete()
        publish(subject=record, kind="restored", actor=user)


def _save_checked(record: OwnedRecord) -> None:
    try:
        record.save()
    except RecordModifiedError as exc:
        raise StaleRecord from exc
