"""Reads about customers that are more than a filter."""

from amity.customers.models import Channel, Consent, ConsentStatus, Contact


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
