"""Merging duplicate contacts or accounts into one, and undoing a merge.

One mechanism for both kinds: the survivor takes, per field (and per custom-field key),
the value of the record the user chose; the records that hang off the others move to
it (merge_related); the others go to the recycle bin marked `merged_into`. The
"merged" event holds the survivor's old values and what moved, which is all undo needs."""

import copy
from dataclasses import dataclass
from typing import Any

from concurrency.exceptions import RecordModifiedError
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils.translation import gettext as _

from amity.core.services import StaleRecord, display_value
from amity.core.tags import tag_fields
from amity.customers.duplicates import pairs_merged, pairs_unmerged
from amity.customers.forms import AccountForm, ContactForm
from amity.customers.merge_related import (
    ACCOUNT_RELATED,
    CONTACT_RELATED,
    Related,
    drop_contact_points,
    keep_contact_points,
    link_accounts,
    registered_related,
)
from amity.customers.models import Account, Contact
from amity.events.models import Event
from amity.events.services import publish

CUSTOM = "custom"


@dataclass(frozen=True)
class MergeKind:
    model: type[models.Model]
    fields: tuple[str, ...]  # the fields whose surviving value the user chooses
    own_related: tuple[Related, ...]  # customers' own rows; other apps register theirs

    @property
    def related(self) -> tuple[Related, ...]:
        return self.own_related + registered_related(self.model)


def _choosable(form, model) -> tuple[str, ...]:
    """The form's fields whose surviving value is chosen; tags are merged as a union."""
    return tuple(name for name in form._meta.fields if name not in tag_fields(model))


CONTACT_MERGE = MergeKind(Contact, _choosable(ContactForm, Contact), CONTACT_RELATED)
ACCOUNT_MERGE = MergeKind(Account, _choosable(AccountForm, Account), ACCOUNT_RELATED)
MERGE_FIELDS = CONTACT_MERGE.fields
KINDS = {Contact: CONTACT_MERGE, Account: ACCOUNT_MERGE}


def _raw(record: models.Model, name: str) -> Any:
    """The stored value of a field, JSON-safe (a related record as its id)."""
    value = record._meta.get_field(name).value_from_object(record)
    return DjangoJSONEncoder().default(value) if hasattr(value, "isoformat") else value


def _set_raw(record: models.Model, name: str, value: Any) -> None:
    field = record._meta.get_field(name)
    setattr(record, field.attname, field.to_python(value))


def _empty(value: Any) -> bool:
    return value is None or value == ""


def custom_keys(records: list[models.Model]) -> list[str]:
    """The custom-field keys any of the records has a value for, in a stable order."""
    return sorted({key for r in records for key, v in (r.custom or {}).items()
                   if not _empty(v)})


def _custom_values(survivor, others, by_id: dict, choices: dict[str, int]) -> dict:
    """Per key: the chosen record's value, else the survivor's, else the first other's."""
    merged = dict(survivor.custom or {})
    for key in custom_keys([survivor, *others]):
        chosen = choices.get(f"{CUSTOM}.{key}")
        if chosen is not None:
            value = (by_id[chosen].custom or {}).get(key)
            if _empty(value):
                merged.pop(key, None)
            else:
                merged[key] = value
        elif _empty(merged.get(key)):
            merged[key] = next(o.custom[key] for o in others
                               if not _empty((o.custom or {}).get(key)))
    return merged


def _chosen_values(kind: MergeKind, survivor, others: list, choices: dict[str, int]) -> dict:
    by_id = {r.pk: r for r in (survivor, *others)}
    choosable = {*kind.fields, *(f"{CUSTOM}.{k}" for k in custom_keys(list(by_id.values())))}
    errors = {}
    for name, pk in choices.items():
        if name not in choosable:
            errors[name] = [_("This field cannot be chosen.")]
        elif pk not in by_id:
            errors[name] = [_("Choose one of the records being merged.")]
    if errors:
        raise ValidationError(errors)
    values = {}
    for name in kind.fields:
        if name in choices:
            values[name] = _raw(by_id[choices[name]], name)
        elif _empty(_raw(survivor, name)):
            values[name] = next((_raw(o, name) for o in others if not _empty(_raw(o, name))),
                                _raw(survivor, name))
    values[CUSTOM] = _custom_values(survivor, others, by_id, choices)
    return {n: v for n, v in values.items() if v != _raw(survivor, n)}


def _check(kind: MergeKind, survivor, others: list, user) -> None:
    ids = [survivor.pk, *(o.pk for o in others)]
    if not others:
        raise ValidationError({"others": [_("Choose at least one other record.")]})
    if len(set(ids)) != len(ids):
        raise ValidationError({"others": [_("A record cannot be merged with itself.")]})
    if kind.model.objects.editable_by(user).filter(pk__in=ids).count() != len(ids):
        raise PermissionDenied


def _check_references(kind: MergeKind, survivor, merged_ids: set[int], new: dict,
                      user) -> None:
    """Links point at records the user sees (when chosen) and never at a record merged
    away (an account inside the account it is merged into)."""
    for name in kind.fields:
        field = survivor._meta.get_field(name)
        target = getattr(survivor, field.attname) if field.is_relation else None
        if target is None:
            continue
        merged_away = field.related_model is kind.model and target in merged_ids
        visible = field.related_model.objects.visible_to(user)
        if merged_away or (name in new and not visible.filter(pk=target).exists()):
            raise ValidationError({name: [_("Select a valid choice.")]})


def _check_no_loop(account: Account) -> None:
    """After children moved to the survivor, it must not have become its own ancestor."""
    seen, parent = set(), account.parent_id
    while parent is not None and parent not in seen:
        if parent == account.pk:
            raise ValidationError({"parent": [_("An account cannot be inside itself.")]})
        seen.add(parent)
        parent = Account.objects.all_with_deleted().filter(pk=parent).values_list(
            "parent_id", flat=True).first()


def _save(record: models.Model) -> None:
    try:
        record.save()
    except RecordModifiedError as exc:
        raise StaleRecord from exc


def _move_related(kind: MergeKind, survivor, others: list, old_self, user) -> dict:
    moved = {rel.name: rel.move(survivor, others) for rel in kind.related}
    if kind is CONTACT_MERGE:
        # The survivor's own old primary email and phone too, when another was chosen.
        moved["contact_points"] = keep_contact_points(survivor, [old_self, *others])
        moved["account_links"] = link_accounts(survivor, others,
                                               Account.objects.visible_to(user))
    else:
        _check_no_loop(survivor)
    return moved


def record_merge(*, survivor, others: list, user, choices: dict[str, int],
                 version: int | None = None) -> Event:
    """Merge `others` into `survivor` (contacts or accounts), taking each field from the
    record `choices` names; every related record moves to the survivor and the others
    go to the recycle bin. Returns the "merged" event (the key to undo)."""
    kind = KINDS[type(survivor)]
    _check(kind, survivor, others, user)
    new = _chosen_values(kind, survivor, others, choices)
    before = {name: _raw(survivor, name) for name in new}
    old_display = {name: display_value(survivor, name) for name in new}
    old_self = copy.copy(survivor)
    for name, value in new.items():
        _set_raw(survivor, name, value)
    _check_references(kind, survivor, {o.pk for o in others}, new, user)
    if version is not None:
        survivor.version = version
    survivor.updated_by = user
    survivor.full_clean()
    changes = {name: {"old": old_display[name], "new": display_value(survivor, name)}
               for name in new if old_display[name] != display_value(survivor, name)}
    with transaction.atomic():
        _save(survivor)
        moved = _move_related(kind, survivor, others, old_self, user)
        for other in others:
            other.merged_into, other.deleted_by = survivor, user
            try:
                other.delete()
            except RecordModifiedError as exc:
                raise StaleRecord from exc
            publish(subject=other, kind="merged_into", actor=user,
                    payload={"survivor": survivor.pk})
        pairs_merged([survivor, *others], user)
        return publish(subject=survivor, kind="merged", actor=user, payload={
            "merged": [o.pk for o in others], "changes": changes, "before": before,
            "moved": moved,
        })


def contact_merge(*, survivor: Contact, others: list[Contact], user,
                  choices: dict[str, int], version: int | None = None) -> Event:
    """Merge duplicate contacts (see record_merge)."""
    return record_merge(survivor=survivor, others=others, user=user, choices=choices,
                        version=version)


def account_merge(*, survivor: Account, others: list[Account], user,
                  choices: dict[str, int], version: int | None = None) -> Event:
    """Merge duplicate accounts: their contacts, memberships, child accounts, addresses
    and tags move to the survivor (see record_merge)."""
    return record_merge(survivor=survivor, others=others, user=user, choices=choices,
                        version=version)


def merge_undone(event: Event) -> bool:
    return Event.objects.filter(kind="merge_undone", subject_type=event.subject_type_id,
                                subject_id=event.subject_id, payload__merge=event.pk).exists()


def undoable_merges(record: models.Model) -> list[Event]:
    """The merges into `record` that have not been undone, newest first."""
    merges = Event.objects.for_subject(record).filter(kind="merged").order_by("-id")
    return [event for event in merges if not merge_undone(event)]


def _changed_since(event: Event, names: set[str]) -> set[str]:
    later = Event.objects.filter(subject_type=event.subject_type_id,
                                 subject_id=event.subject_id, pk__gt=event.pk)
    return {name for e in later for name in (e.payload.get("changes") or {})} & names


def _undo_related(kind: MergeKind, survivor, moved: dict) -> None:
    if kind is CONTACT_MERGE:
        drop_contact_points(survivor, moved.get("contact_points", {}))
        survivor.memberships.filter(pk__in=moved.get("account_links", [])).delete()
    for rel in reversed(kind.related):
        rel.undo(survivor, moved.get(rel.name, {}))


def record_merge_undo(*, event: Event, user) -> models.Model:
    """Undo a merge: bring the merged records back, return what moved to them and restore
    the survivor's fields. Refused if those fields were changed since."""
    if event.kind != "merged":
        raise ValidationError(_("This is not a merge."))
    kind = KINDS[event.subject_type.model_class()]
    survivor = kind.model.objects.editable_by(user).filter(pk=event.subject_id).first()
    if survivor is None:
        raise PermissionDenied
    with transaction.atomic():
        survivor = kind.model.objects.select_for_update().get(pk=survivor.pk)
        if merge_undone(event):
            raise ValidationError(_("This merge has already been undone."))
        before = event.payload.get("before", {})
        changed = _changed_since(event, set(before))
        if changed:
            raise ValidationError({name: [_("Changed since the merge; undoing it would "
                                            "overwrite that change.")] for name in changed})
        others = list(kind.model.deleted_objects.filter(pk__in=event.payload["merged"],
                                                        merged_into=survivor))
        if len(others) != len(event.payload["merged"]):
            raise ValidationError(_("A merged record is no longer in the recycle bin."))
        changes = {}
        for name, value in before.items():
            old = display_value(survivor, name)
            _set_raw(survivor, name, value)
            if old != display_value(survivor, name):
                changes[name] = {"old": old, "new": display_value(survivor, name)}
        survivor.updated_by = user
        survivor.full_clean()
        _save(survivor)
        _undo_related(kind, survivor, event.payload.get("moved", {}))
        for other in others:
            other.merged_into = other.deleted_by = None
            other.undelete()
            publish(subject=other, kind="merge_undone", actor=user, payload={"merge": event.pk})
        pairs_unmerged([survivor, *others])
        publish(subject=survivor, kind="merge_undone", actor=user,
                payload={"merge": event.pk, "restored": [o.pk for o in others],
                         "changes": changes})
    return survivor


def contact_merge_undo(*, event: Event, user) -> Contact:
    """Undo a contact merge (see record_merge_undo)."""
    return record_merge_undo(event=event, user=user)


def merged_ids(record: models.Model) -> list[int]:
    """The records merged into `record`, whose events belong on its timeline."""
    return list(type(record).deleted_objects.filter(merged_into=record)
                .values_list("pk", flat=True))
