"""Moving the records that hang off merged contacts or accounts onto the survivor, and
putting them back when the merge is undone.

Each move returns what it did as JSON (which rows moved from where, which duplicate
rows were dropped, with their full contents, which rows were added), and that record
goes into the "merged" event, so undo restores exactly what the merge changed."""

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from amity.customers.models import (
    Account,
    Address,
    Consent,
    Contact,
    ContactEmail,
    ContactInterest,
    ContactPhone,
    Membership,
    SocialHandle,
    TaggedAccount,
    TaggedContact,
)


def snapshot(row: models.Model) -> dict:
    """Every stored column of `row`, JSON-safe, to recreate it as it was."""
    values = {f.attname: f.value_from_object(row) for f in row._meta.concrete_fields}
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def recreate(model: type[models.Model], values: dict) -> None:
    """Insert a row from its snapshot, with its old id and stamps (auto_now_add would
    overwrite them on insert, so they are written back afterwards)."""
    fields = {f.attname: f.to_python(values[f.attname]) for f in model._meta.concrete_fields
              if f.attname in values}
    model.objects.bulk_create([model(**fields)])
    model.objects.filter(pk=fields["id"]).update(**fields)


@dataclass(frozen=True)
class Related:
    """Rows of `model` that point at the merged record through `fk`. `key`: columns that
    are unique per parent; a row whose key the survivor already has is dropped (kept in
    the event), so the survivor keeps its own. `held`: keys the survivor holds elsewhere
    (its primary email is not also one of its other emails)."""

    name: str
    model: type[models.Model]
    fk: str
    key: tuple[str, ...] = ()
    primary_flag: str = ""  # one row per parent may carry it: the survivor's stays
    held: Callable[[models.Model], set] | None = None

    @property
    def rows(self) -> models.Manager:
        manager = self.model._default_manager
        return manager.all_with_deleted() if hasattr(manager, "all_with_deleted") else manager

    def _key(self, row: models.Model) -> tuple:
        return tuple(getattr(row, column) for column in self.key)

    def move(self, survivor: models.Model, others: list[models.Model]) -> dict:
        """Point the others' rows at the survivor; returns what to undo."""
        fk_id = f"{self.fk}_id"
        mine = self.rows.filter(**{self.fk: survivor})
        held = {self._key(row) for row in mine} if self.key else set()
        held |= self.held(survivor) if self.held else set()
        has_primary = bool(self.primary_flag) and mine.filter(**{self.primary_flag: True}).exists()
        moved, dropped, unflagged = {}, [], []
        for row in self.rows.filter(**{f"{self.fk}__in": others}).order_by("pk"):
            if self.key and self._key(row) in held:
                dropped.append(snapshot(row))
                continue
            held.add(self._key(row))
            moved[str(row.pk)] = getattr(row, fk_id)
            if self.primary_flag and getattr(row, self.primary_flag):
                if has_primary:
                    unflagged.append(row.pk)
                has_primary = True
        if unflagged:  # first: the survivor may hold one primary only
            self.rows.filter(pk__in=unflagged).update(**{self.primary_flag: False})
        self.rows.filter(pk__in=[int(pk) for pk in moved]).update(**{fk_id: survivor.pk})
        # Delete after the moves so a dropped row's id is never reused before undo.
        self.rows.filter(pk__in=[row["id"] for row in dropped]).delete()
        return {"moved": moved, "dropped": dropped, "unflagged": unflagged}

    def undo(self, survivor: models.Model, done: dict) -> None:
        fk_id = f"{self.fk}_id"
        for pk, parent in done.get("moved", {}).items():
            self.rows.filter(pk=int(pk), **{fk_id: survivor.pk}).update(**{fk_id: parent})
        if done.get("unflagged"):
            self.rows.filter(pk__in=done["unflagged"]).update(**{self.primary_flag: True})
        for values in done.get("dropped", []):
            recreate(self.model, values)


def _primary_email(contact: Contact) -> set:
    return {(contact.email,)} if contact.email else set()


def _primary_phone(contact: Contact) -> set:
    return {(contact.phone_e164,)} if contact.phone_e164 else set()


CONTACT_RELATED = (
    Related("consents", Consent, "contact"),
    Related("emails", ContactEmail, "contact", key=("email",), held=_primary_email),
    Related("phones", ContactPhone, "contact", key=("phone_e164",), held=_primary_phone),
    Related("addresses", Address, "contact", primary_flag="is_primary"),
    Related("social_handles", SocialHandle, "contact", key=("network", "handle")),
    Related("memberships", Membership, "contact", key=("account_id",)),
    Related("tags", TaggedContact, "content_object", key=("tag_id",)),
    Related("interests", ContactInterest, "content_object", key=("tag_id",)),
)
ACCOUNT_RELATED = (
    Related("contacts", Contact, "account"),
    Related("memberships", Membership, "account", key=("contact_id",)),
    Related("children", Account, "parent"),
    Related("addresses", Address, "account", primary_flag="is_primary"),
    Related("tags", TaggedAccount, "content_object", key=("tag_id",)),
)


# Rows of other apps (tasks, opportunities…) that hang off a contact or an account.
_REGISTERED: dict[type[models.Model], list[Related]] = {}


def register_merge_related(model: type[models.Model], related: Related) -> None:
    """Have `related` rows move to the survivor when records of `model` are merged (and
    back on undo). Apps built on customers call this from their AppConfig.ready."""
    if any(r.name == related.name for r in _REGISTERED.get(model, [])):
        raise ValueError(f"{related.name} already moves with merged {model.__name__}")
    _REGISTERED.setdefault(model, []).append(related)


def registered_related(model: type[models.Model]) -> tuple[Related, ...]:
    return tuple(_REGISTERED.get(model, ()))


def keep_contact_points(survivor: Contact, merged: list[Contact]) -> dict:
    """The primary emails and phones of the merged contacts (and the survivor's own, if
    another was chosen) that the survivor no longer has become its other ones."""
    emails = {survivor.email, *survivor.other_emails.values_list("email", flat=True)}
    phones = {survivor.phone_e164, *survivor.other_phones.values_list("phone_e164", flat=True)}
    added = {"emails": [], "phones": []}
    for contact in merged:
        if contact.email and contact.email not in emails:
            emails.add(contact.email)
            added["emails"].append(ContactEmail.objects.create(
                contact=survivor, email=contact.email).pk)
        if contact.phone_e164 and contact.phone_e164 not in phones:
            phones.add(contact.phone_e164)
            added["phones"].append(ContactPhone.objects.create(
                contact=survivor, phone=contact.phone, phone_e164=contact.phone_e164).pk)
    return added


def drop_contact_points(survivor: Contact, added: dict) -> None:
    ContactEmail.objects.filter(contact=survivor, pk__in=added.get("emails", [])).delete()
    ContactPhone.objects.filter(contact=survivor, pk__in=added.get("phones", [])).delete()


def link_accounts(survivor: Contact, merged: list[Contact], visible_accounts) -> list[int]:
    """A merged contact's main account the survivor is not at becomes a membership (with
    that contact's job title), so the person stays linked to every account they had."""
    have = {survivor.account_id, *survivor.memberships.values_list("account_id", flat=True)}
    created = []
    for contact in merged:
        if contact.account_id and contact.account_id not in have and \
                visible_accounts.filter(pk=contact.account_id).exists():
            have.add(contact.account_id)
            created.append(Membership.objects.create(
                contact=survivor, account_id=contact.account_id, title=contact.job_title).pk)
    return created
