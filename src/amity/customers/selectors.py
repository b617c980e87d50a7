"""Reads about customers that are more than a filter."""

from django.core.exceptions import ValidationError
from django.db.models import Q

from amity.customers.models import Account, Channel, Consent, ConsentStatus, Contact


def current_consents(contact: Contact) -> dict[str, Consent | None]:
    """The statement in force for each channel (None: never asked)."""
    current: dict[str, Consent | None] = dict.fromkeys(Channel.values)
    for consent in contact.consents.order_by("recorded_at", "id"):
        current[consent.channel] = consent
    return current


def may_contact(contact: Contact, channel: str) -> bool:
    """Whether `contact` may be messaged on `channel`: only with consent in force."""
    latest = contact.consents.filter(channel=channel).order_by("-recorded_at", "-id").first()
    return latest is not None and latest.status == ConsentStatus.GRANTED


LIKELY = 5


def likely_duplicate_contacts(*, user, data: dict) -> list[Contact]:
    """Visible contacts that share the new contact's email, phone, or exact name."""
    probe = Contact(**{k: v for k, v in data.items() if k in {"email", "phone", "country",
                                                                 "account"}})
    try:
        probe.clean()  # the same normalisation the stored contacts went through
    except ValidationError:
        return []
    same = Q(family_name=data.get("family_name", ""), given_name=data.get("given_name", ""))
    if probe.email:
        same |= Q(email=probe.email)
    if probe.phone_e164:
        same |= Q(phone_e164=probe.phone_e164)
    return list(Contact.objects.visible_to(user).filter(same)[:LIKELY])


def likely_duplicate_accounts(*, user, data: dict) -> list[Account]:
    """Visible accounts with the same name, whatever the letter case."""
    return list(Account.objects.visible_to(user).filter(name__iexact=data.get("name", ""))
                [:LIKELY])
