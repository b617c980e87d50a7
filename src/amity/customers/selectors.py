"""Reads about customers that are more than a filter."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet

from amity.customers.models import (
    Account,
    Address,
    Channel,
    Consent,
    ConsentStatus,
    Contact,
    ContactEmail,
    ContactPhone,
    Membership,
    SocialHandle,
)


def _addresses() -> Prefetch:
    return Prefetch("addresses", queryset=Address.objects.order_by("-is_primary", "id"))


def contact_details() -> tuple:
    """What to prefetch so a page or chunk of contacts reads its details in one query each
    (primary address first, the rest in the order they were added)."""
    return ("tags", "interests", _addresses(),
            Prefetch("other_emails", queryset=ContactEmail.objects.order_by("id")),
            Prefetch("other_phones", queryset=ContactPhone.objects.order_by("id")),
            Prefetch("social_handles", queryset=SocialHandle.objects.order_by("network", "id")),
            Prefetch("memberships", queryset=Membership.objects.order_by("id")))


def account_details() -> tuple:
    """What to prefetch for a page or chunk of accounts."""
    return ("tags", _addresses())


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


def account_contacts(*, account: Account, user) -> QuerySet:
    """The visible contacts whose main account this is, and its members; each carries its
    memberships here (role, title) as `here`. The ids are a union of two indexed lookups,
    so a page costs the same at a million contacts as at a hundred."""
    ids = (Contact.objects.filter(account=account).values("id")
           .union(Membership.objects.filter(account=account).values("contact_id")))
    here = Prefetch("memberships", queryset=Membership.objects.filter(account=account),
                    to_attr="here")
    return Contact.objects.visible_to(user).filter(pk__in=ids).prefetch_related(here)


def account_children(*, account: Account, user) -> QuerySet:
    """The visible accounts directly below this one."""
    return Account.objects.visible_to(user).filter(parent=account)
