"""Contacts as vCard 3.0, the version every address book reads: every email address,
phone number and postal address, the primary ones marked PREF."""

from collections.abc import Iterator

import vobject
from django.db.models import QuerySet

from amity.core.chunking import chunks
from amity.core.exports import CHUNK
from amity.core.linked import link_hider
from amity.customers.models import Contact
from amity.customers.selectors import contact_details

# vCard TYPE values for Amity's labels and address kinds.
_TYPES = {"work": "WORK", "home": "HOME", "mobile": "CELL", "office": "WORK",
          "billing": "WORK", "shipping": "POSTAL", "other": "OTHER"}


def _add_email(card, address: str, label: str, primary: bool) -> None:
    line = card.add("email")
    line.value = address
    line.type_paramlist = ["INTERNET", *([_TYPES[label]] if label in _TYPES else []),
                           *(["PREF"] if primary else [])]


def _add_phone(card, number: str, label: str, primary: bool) -> None:
    line = card.add("tel")
    line.value = number
    types = [*([_TYPES[label]] if label in _TYPES else []), *(["PREF"] if primary else [])]
    if types:
        line.type_paramlist = types


def _add_addresses(card, contact: Contact) -> None:
    for address in contact.addresses.all():
        line = card.add("adr")
        line.value = vobject.vcard.Address(
            street=address.street, city=address.city, region=address.region,
            code=address.postal_code, country=address.country)
        line.type_paramlist = [_TYPES.get(address.kind, "OTHER"),
                               *(["PREF"] if address.is_primary else [])]


def vcard(contact: Contact, *, show_account: bool = True) -> str:
    """The contact as a vCard: ORG is its account's name (when `show_account`) and its
    department, NOTE its description, URL each of its websites."""
    card = vobject.vCard()
    card.add("n").value = vobject.vcard.Name(family=contact.family_name,
                                             given=contact.given_name)
    card.add("fn").value = str(contact)
    if contact.email:
        _add_email(card, contact.email, "", primary=True)
    for other in contact.other_emails.all():
        _add_email(card, other.email, other.label, primary=False)
    if contact.phone:
        _add_phone(card, contact.phone, "", primary=True)
    for other in contact.other_phones.all():
        _add_phone(card, other.phone, other.label, primary=False)
    _add_addresses(card, contact)
    account = contact.account.name if contact.account_id and show_account else ""
    if account or contact.department:
        # ORG is "organisation;unit": a department without a (visible) account keeps
        # the organisation empty rather than being read back as the company.
        card.add("org").value = [account, contact.department] if contact.department \
            else [account]
    if contact.job_title:
        card.add("title").value = contact.job_title
    if contact.description:
        card.add("note").value = contact.description
    for website in contact.websites():
        card.add("url").value = website
    categories = sorted(tag.name for tag in contact.tags.all())
    if categories:
        card.add("categories").value = categories
    card.add("uid").value = f"amity-contact-{contact.pk}"
    return card.serialize()


def vcards(contacts: QuerySet, reader) -> Iterator[bytes]:
    """One vCard after another for `reader`, read in chunks with their details prefetched;
    an account the reader may not see is left out."""
    records = contacts.select_related("account").prefetch_related(*contact_details())
    for chunk in chunks(records.iterator(chunk_size=CHUNK), CHUNK):
        hidden = link_hider(Contact, chunk, ["account"], reader)
        for contact in chunk:
            yield vcard(contact, show_account=not hidden(contact, "account")).encode()
