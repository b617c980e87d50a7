"""Contacts as vCard 3.0, the version every address book reads."""

from collections.abc import Iterator

import vobject
from django.db.models import QuerySet

from amity.customers.models import Contact


def vcard(contact: Contact) -> str:
    card = vobject.vCard()
    card.add("n").value = vobject.vcard.Name(family=contact.family_name,
                                             given=contact.given_name)
    card.add("fn").value = str(contact)
    if contact.email:
        card.add("email").value = contact.email
        card.email.type_param = "INTERNET"
    if contact.phone:
        card.add("tel").value = contact.phone
    if contact.account_id:
        card.add("org").value = [contact.account.name]
    if contact.job_title:
        card.add("title").value = contact.job_title
    card.add("uid").value = f"amity-contact-{contact.pk}"
    return card.serialize()


def vcards(contacts: QuerySet) -> Iterator[bytes]:
    """One vCard after another, read in chunks."""
    for contact in contacts.select_related("account").iterator(chunk_size=2000):
        yield vcard(contact).encode()
