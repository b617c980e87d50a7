"""Operations on customers beyond the shared record services: consent, a contact's other
email addresses and phone numbers, addresses, social handles, account memberships, tags.

Each checks that the user may change the record the detail belongs to, validates, writes
in one transaction and appends an "updated" event naming what changed, so the record's
timeline and history show it."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amity.core.models import OwnedRecord
from amity.core.phones import to_e164
from amity.core.services import record_update
from amity.customers.models import (
    Account,
    Address,
    Consent,
    Contact,
    ContactEmail,
    ContactPhone,
    Membership,
    SocialHandle,
    contact_email,
)
from amity.events.services import publish


def _check_editable(record: OwnedRecord, user) -> None:
    if not type(record).objects.editable_by(user).filter(pk=record.pk).exists():
        raise PermissionDenied


def _changed(record: OwnedRecord, user, name: str, old: str | None, new: str | None) -> None:
    publish(subject=record, kind="updated", actor=user,
            payload={"changes": {name: {"old": old, "new": new}}})


def consent_record(*, contact: Contact, user, channel: str, status: str, method: str,
                   proof: str = "") -> Consent:
    """Record that `contact` granted or withdrew consent for `channel`."""
    _check_editable(contact, user)
    consent = Consent(contact=contact, channel=channel, status=status, method=method,
                      proof=proof, recorded_by=user)
    consent.full_clean()
    with transaction.atomic():
        consent.save()
        publish(subject=contact, kind=f"consent.{status}", actor=user,
                payload={"channel": channel, "method": method})
    return consent


# --- other email addresses ---------------------------------------------------------------

def _normalised_email(raw: str) -> str:
    try:
        return contact_email(raw)
    except ValidationError as exc:
        raise ValidationError({"email": exc.messages}) from exc


def contact_email_add(*, contact: Contact, user, email: str,
                      label: str = "other") -> ContactEmail:
    """Add another email address to `contact` (not its primary one, nor one it has)."""
    _check_editable(contact, user)
    address = _normalised_email(email)
    if address == contact.email or contact.other_emails.filter(email=address).exists():
        raise ValidationError({"email": [_("The contact already has this email address.")]})
    row = ContactEmail(contact=contact, email=address, label=label)
    row.full_clean(exclude=["contact"], validate_constraints=False)
    with transaction.atomic():
        row.save()
        _changed(contact, user, "other_emails", None, address)
    return row


def contact_email_remove(*, email: ContactEmail, user) -> None:
    """Remove one of a contact's other email addresses."""
    _check_editable(email.contact, user)
    with transaction.atomic():
        email.delete()
        _changed(email.contact, user, "other_emails", email.email, None)


def contact_email_make_primary(*, email: ContactEmail, user) -> Contact:
    """Make another address the contact's primary one; the old primary becomes another."""
    contact = email.contact
    _check_editable(contact, user)
    old, new = contact.email, email.email
    with transaction.atomic():
        if old:
            email.email = old
            email.save(update_fields=["email"])
        else:
            email.delete()
        record_update(record=contact, user=user, data={"email": new})
        if old:
            _changed(contact, user, "other_emails", new, old)
    return contact


# --- other phone numbers -----------------------------------------------------------------

def _region(contact: Contact) -> str:
    return contact.country or (contact.account.country if contact.account_id else "")


def contact_phone_add(*, contact: Contact, user, phone: str,
                      label: str = "mobile") -> ContactPhone:
    """Add another phone number to `contact`, stored in E.164 with what was typed kept."""
    _check_editable(contact, user)
    try:
        e164 = to_e164(phone, region=_region(contact))
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    if e164 == contact.phone_e164 or contact.other_phones.filter(phone_e164=e164).exists():
        raise ValidationError({"phone": [_("The contact already has this phone number.")]})
    row = ContactPhone(contact=contact, phone=phone.strip(), phone_e164=e164, label=label)
    row.full_clean(exclude=["contact"], validate_constraints=False)
    with transaction.atomic():
        row.save()
        _changed(contact, user, "other_phones", None, row.phone)
    return row


def contact_phone_remove(*, phone: ContactPhone, user) -> None:
    """Remove one of a contact's other phone numbers."""
    _check_editable(phone.contact, user)
    with transaction.atomic():
        phone.delete()
        _changed(phone.contact, user, "other_phones", phone.phone, None)


def contact_phone_make_primary(*, phone: ContactPhone, user) -> Contact:
    """Make another number the contact's primary one; the old primary becomes another."""
    contact = phone.contact
    _check_editable(contact, user)
    old, old_e164, new = contact.phone, contact.phone_e164, phone.phone
    with transaction.atomic():
        if old and old_e164:
            phone.phone, phone.phone_e164 = old, old_e164
            phone.save(update_fields=["phone", "phone_e164"])
        else:
            phone.delete()
        record_update(record=contact, user=user, data={"phone": new})
        if old and old_e164:
            _changed(contact, user, "other_phones", new, old)
    return contact


# --- addresses -----------------------------------------------------------------------------

ADDRESS_FIELDS = ("kind", "is_primary", "street", "city", "region", "postal_code", "country")


def _owner_of(address: Address) -> Account | Contact:
    return address.account if address.account_id else address.contact


def _siblings(address: Address):
    owner = {"account": address.account} if address.account_id else {"contact": address.contact}
    return Address.objects.filter(**owner).exclude(pk=address.pk)


def _fill_address(address: Address, data: dict[str, Any]) -> None:
    unknown = sorted(set(data) - set(ADDRESS_FIELDS))
    if unknown:
        raise ValidationError({name: [_("This field cannot be set.")] for name in unknown})
    for name, value in data.items():
        setattr(address, name, value.strip() if isinstance(value, str) else value)
    address.country = address.country.upper()
    if len(address.street) > Address._meta.get_field("street").max_length:
        # A TextField's max_length is only a form's check; the API and import need it too.
        raise ValidationError({"street": [_("The street has too many characters.")]})
    if address.country and not (address.country.isascii() and address.country.isalpha()
                                and len(address.country) == 2):
        raise ValidationError({"country": [_("Give the two-letter ISO code, e.g. TH.")]})
    address.full_clean(exclude=["account", "contact"], validate_constraints=False)


def _save_address(address: Address) -> None:
    """Save, keeping one primary address per record (the first one is primary)."""
    siblings = _siblings(address)
    if not siblings.exists():
        address.is_primary = True
    if address.is_primary:
        siblings.filter(is_primary=True).update(is_primary=False)
    address.save()


def address_add(*, record: Account | Contact, user, data: dict[str, Any]) -> Address:
    """Add a postal address to an account or a contact."""
    _check_editable(record, user)
    address = Address(**{record._meta.model_name: record})
    _fill_address(address, data)
    with transaction.atomic():
        _save_address(address)
        _changed(record, user, "addresses", None, str(address))
    return address


def address_update(*, address: Address, user, data: dict[str, Any]) -> Address:
    """Change an address; making it primary makes the record's other addresses not."""
    record = _owner_of(address)
    _check_editable(record, user)
    before = str(address)
    _fill_address(address, data)
    with transaction.atomic():
        _save_address(address)
        if before != str(address):
            _changed(record, user, "addresses", before, str(address))
    return address


def address_remove(*, address: Address, user) -> None:
    """Remove an address; if it was the primary one, the oldest remaining one becomes it."""
    record = _owner_of(address)
    _check_editable(record, user)
    with transaction.atomic():
        successor = _siblings(address).order_by("id").first() if address.is_primary else None
        address.delete()
        if successor:
            successor.is_primary = True
            successor.save(update_fields=["is_primary"])
        _changed(record, user, "addresses", str(address), None)


# --- social handles ----------------------------------------------------------------------

def social_handle_add(*, contact: Contact, user, network: str, handle: str) -> SocialHandle:
    """Add a social network handle (user name or profile address) to a contact."""
    _check_editable(contact, user)
    row = SocialHandle(contact=contact, network=network, handle=handle.strip())
    row.full_clean(exclude=["contact"], validate_constraints=False)
    if contact.social_handles.filter(network=row.network, handle=row.handle).exists():
        raise ValidationError({"handle": [_("The contact already has this handle.")]})
    with transaction.atomic():
        row.save()
        _changed(contact, user, "social_handles", None, str(row))
    return row


def social_handle_remove(*, handle: SocialHandle, user) -> None:
    """Remove a social handle from its contact."""
    _check_editable(handle.contact, user)
    with transaction.atomic():
        handle.delete()
        _changed(handle.contact, user, "social_handles", str(handle), None)


# --- account memberships -----------------------------------------------------------------

def _membership_text(membership: Membership) -> str:
    details = ", ".join(p for p in (membership.title, membership.role) if p)
    return f"{membership.account} ({details})" if details else str(membership.account)


def membership_add(*, contact: Contact, user, account_id: int | None, role: str = "",
                   title: str = "") -> Membership:
    """Record the contact's role and title at an account the user can see."""
    _check_editable(contact, user)
    account = Account.objects.visible_to(user).filter(pk=account_id).first()
    if account is None:
        raise ValidationError({"account": [_("Select an account you can see.")]})
    if contact.memberships.filter(account=account).exists():
        raise ValidationError({"account": [_("The contact is already a member of this "
                                             "account.")]})
    membership = Membership(contact=contact, account=account, role=role.strip(),
                            title=title.strip())
    membership.full_clean(exclude=["contact", "account"], validate_constraints=False)
    with transaction.atomic():
        membership.save()
        _changed(contact, user, "memberships", None, _membership_text(membership))
    return membership


def membership_update(*, membership: Membership, user, role: str, title: str) -> Membership:
    """Change the contact's role and title at an account."""
    _check_editable(membership.contact, user)
    before = _membership_text(membership)
    membership.role, membership.title = role.strip(), title.strip()
    membership.full_clean(exclude=["contact", "account"], validate_constraints=False)
    with transaction.atomic():
        membership.save(update_fields=["role", "title"])
        if before != _membership_text(membership):
            _changed(membership.contact, user, "memberships", before,
                     _membership_text(membership))
    return membership


def membership_remove(*, membership: Membership, user) -> None:
    """End the contact's membership of an account."""
    _check_editable(membership.contact, user)
    with transaction.atomic():
        membership.delete()
        _changed(membership.contact, user, "memberships", _membership_text(membership), None)


# --- tags and interests ------------------------------------------------------------------

def tags_set(*, record: Account | Contact, user, names: list[str]) -> Account | Contact:
    """Replace the record's tags (names in any script; the same tag whatever its case)."""
    return record_update(record=record, user=user, data={"tags": names})


def interests_set(*, contact: Contact, user, names: list[str]) -> Contact:
    """Replace the contact's interests."""
    return record_update(record=contact, user=user, data={"interests": names})
