"""Merging duplicate contacts into one, and undoing a merge."""

from typing import Any

from concurrency.exceptions import RecordModifiedError
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils.translation import gettext as _

from amity.core.services import StaleRecord, display_value
from amity.customers.forms import ContactForm
from amity.customers.models import Account, Consent, Contact
from amity.events.models import Event
from amity.events.services import publish

MERGE_FIELDS = tuple(ContactForm._meta.fields)


def _raw(contact: Contact, name: str) -> Any:
    """The stored value of a field, JSON-safe (a related record as its id)."""
    value = contact._meta.get_field(name).value_from_object(contact)
    return DjangoJSONEncoder().default(value) if hasattr(value, "isoformat") else value


def _set_raw(contact: Contact, name: str, value: Any) -> None:
    field = contact._meta.get_field(name)
    setattr(contact, field.attname, field.to_python(value))


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _chosen_values(survivor: Contact, others: list[Contact], choices: dict[str, int]) -> dict:
    by_id = {c.pk: c for c in (survivor, *others)}
    errors = {}
    for name, pk in choices.items():
        if name not in MERGE_FIELDS:
            errors[name] = [_("This field cannot be chosen.")]
        elif pk not in by_id:
            errors[name] = [_("Choose one of the contacts being merged.")]
    if errors:
        raise ValidationError(errors)
    values = {}
    for name in MERGE_FIELDS:
        if name in choices:
            values[name] = _raw(by_id[choices[name]], name)
        elif _empty(_raw(survivor, name)):
            values[name] = next((_raw(o, name) for o in others if not _empty(_raw(o, name))),
                                _raw(survivor, name))
    return {n: v for n, v in values.items() if v != _raw(survivor, n)}


def _check(survivor: Contact, others: list[Contact], user) -> None:
    ids = [survivor.pk, *(o.pk for o in others)]
    if not others:
        raise ValidationError({"others": [_("Choose at least one other contact.")]})
    if len(set(ids)) != len(ids):
        raise ValidationError({"others": [_("A contact cannot be merged with itself.")]})
    if Contact.objects.editable_by(user).filter(pk__in=ids).count() != len(ids):
        raise PermissionDenied


def contact_merge(*, survivor: Contact, others: list[Contact], user,
                  choices: dict[str, int], version: int | None = None) -> Event:
    """Merge `others` into `survivor`, taking each field from the contact `choices` names;
    the others go to the recycle bin. Returns the "merged" event (the key to undo)."""
    _check(survivor, others, user)
    new = _chosen_values(survivor, others, choices)
    before = {name: _raw(survivor, name) for name in new}
    old_display = {name: display_value(survivor, name) for name in new}
    for name, value in new.items():
        _set_raw(survivor, name, value)
    if survivor.account_id and "account" in new and not Account.objects.visible_to(user).filter(
            pk=survivor.account_id).exists():
        raise ValidationError({"account": [_("Select a valid choice.")]})
    if version is not None:
        survivor.version = version
    survivor.updated_by = user
    survivor.full_clean()
    changes = {name: {"old": old_display[name], "new": display_value(survivor, name)}
               for name in new if old_display[name] != display_value(survivor, name)}
    with transaction.atomic():
        _save(survivor)
        consents = dict(Consent.objects.filter(contact__in=others).values_list("id", "contact_id"))
        Consent.objects.filter(pk__in=consents).update(contact=survivor)
        for other in others:
            other.merged_into, other.deleted_by = survivor, user
            try:
                other.delete()
            except RecordModifiedError as exc:
                raise StaleRecord from exc
            publish(subject=other, kind="merged_into", actor=user,
                    payload={"survivor": survivor.pk})
        return publish(subject=survivor, kind="merged", actor=user, payload={
            "merged": [o.pk for o in others], "changes": changes, "before": before,
            "consents": {str(k): v for k, v in consents.items()},
        })


def _save(contact: Contact) -> None:
    try:
        contact.save()
    except RecordModifiedError as exc:
        raise StaleRecord from exc


def merge_undone(event: Event) -> bool:
    return Event.objects.filter(kind="merge_undone", subject_type=event.subject_type_id,
                                subject_id=event.subject_id, payload__merge=event.pk).exists()


def undoable_merges(contact: Contact) -> list[Event]:
    """The merges into `contact` that have not been undone, newest first."""
    merges = Event.objects.for_subject(contact).filter(kind="merged").order_by("-id")
    return [event for event in merges if not merge_undone(event)]


def _changed_since(event: Event, names: set[str]) -> set[str]:
    later = Event.objects.filter(subject_type=event.subject_type_id,
                                 subject_id=event.subject_id, pk__gt=event.pk)
    return {name for e in later for name in (e.payload.get("changes") or {})} & names


def contact_merge_undo(*, event: Event, user) -> Contact:
    """Undo a merge: bring the merged contacts back, return their consents and restore
    the survivor's fields. Refused if those fields were changed since."""
    if event.kind != "merged":
        raise ValidationError(_("This is not a merge."))
    survivor = Contact.objects.editable_by(user).filter(pk=event.subject_id).first()
    if survivor is None:
        raise PermissionDenied
    with transaction.atomic():
        survivor = Contact.objects.select_for_update().get(pk=survivor.pk)
        if merge_undone(event):
            raise ValidationError(_("This merge has already been undone."))
        before = event.payload.get("before", {})
        changed = _changed_since(event, set(before))
        if changed:
            raise ValidationError({name: [_("Changed since the merge; undoing it would "
                                            "overwrite that change.")] for name in changed})
        others = list(Contact.deleted_objects.filter(pk__in=event.payload["merged"],
                                                     merged_into=survivor))
        if len(others) != len(event.payload["merged"]):
            raise ValidationError(_("A merged contact is no longer in the recycle bin."))
        changes = {}
        for name, value in before.items():
            old = display_value(survivor, name)
            _set_raw(survivor, name, value)
            if old != display_value(survivor, name):
                changes[name] = {"old": old, "new": display_value(survivor, name)}
        survivor.updated_by = user
        survivor.full_clean()
        _save(survivor)
        for consent_id, contact_id in event.payload.get("consents", {}).items():
            Consent.objects.filter(pk=int(consent_id), contact=survivor).update(
                contact_id=contact_id)
        for other in others:
            other.merged_into = other.deleted_by = None
            other.undelete()
            publish(subject=other, kind="merge_undone", actor=user, payload={"merge": event.pk})
        publish(subject=survivor, kind="merge_undone", actor=user,
                payload={"merge": event.pk, "restored": [o.pk for o in others],
                         "changes": changes})
    return survivor


def merged_ids(contact: models.Model) -> list[int]:
    """The contacts merged into `contact`, whose events belong on its timeline."""
    return list(Contact.deleted_objects.filter(merged_into=contact).values_list("pk", flat=True))
