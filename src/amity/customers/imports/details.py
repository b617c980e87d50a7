"""The columns of an import row that become a contact's details rather than its fields:
more email addresses and phone numbers, a postal address, websites, tags. Read and
validated with the row (errors name the column), written after the batch's contacts have
ids, a few bulk inserts per batch."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.models import Tag

from amity.core.countries import country_code
from amity.core.phones import to_e164
from amity.core.tags import clean_tags, parse_tags, tags_text
from amity.customers.models import (
    Address,
    Contact,
    ContactEmail,
    ContactPhone,
    SocialHandle,
    SocialNetwork,
    TaggedContact,
    contact_email,
)

EMAIL_COLUMNS = ("email_2", "email_3")
PHONE_COLUMNS = {"phone_2": "work", "phone_3": "other", "mobile": "mobile"}
ADDRESS_COLUMNS = {"street": "street", "city": "city", "region": "region",
                   "postcode": "postal_code", "country": "country"}
DETAIL_FIELDS = (*EMAIL_COLUMNS, *PHONE_COLUMNS, "street", "region", "postcode", "website",
                 "tags")
# How the mapping page names them.
DETAIL_LABELS = {
    "email_2": gettext_lazy("Email 2"), "email_3": gettext_lazy("Email 3"),
    "phone_2": gettext_lazy("Phone 2"), "phone_3": gettext_lazy("Phone 3"),
    "mobile": gettext_lazy("Mobile phone"), "street": gettext_lazy("Address: street"),
    "region": gettext_lazy("Address: region"), "postcode": gettext_lazy("Address: postal code"),
    "website": gettext_lazy("Website"), "tags": gettext_lazy("Tags"),
}
# One cell may hold several addresses or numbers ("a@x.example; b@y.example"); Google
# joins several values with " ::: ".
_SEVERAL_EMAILS = re.compile(r"\s*(?:[;,]|:::)\s*")
_SEVERAL_PHONES = re.compile(r"\s*(?:;|:::)\s*")
_SEVERAL_WEBSITES = re.compile(r"\s*(?:[;,]|:::)\s*|\s+")
_WEB_ADDRESS = URLValidator(schemes=["http", "https"])
_HANDLE_LENGTH = SocialHandle._meta.get_field("handle").max_length


@dataclass(slots=True)
class RowDetails:
    emails: list[str] = field(default_factory=list)
    phones: list[tuple[str, str, str]] = field(default_factory=list)  # typed, E.164, label
    address: dict[str, str] | None = None
    websites: list[str] = field(default_factory=list)  # as typed, social handles "Website"
    tags: list[str] = field(default_factory=list)

    def add(self, other: "RowDetails") -> None:
        """Another row's details for the same new contact (the first address stays)."""
        self.emails += [e for e in other.emails if e not in self.emails]
        self.phones += [p for p in other.phones if p[1] not in {q[1] for q in self.phones}]
        self.address = self.address or other.address
        self.websites += [w for w in other.websites if w not in self.websites]
        self.tags += [t for t in other.tags if t.casefold() not in
                      {u.casefold() for u in self.tags}]

    def changes(self) -> dict[str, dict]:
        """The details as history entries, like the services record them."""
        new = {"other_emails": "; ".join(self.emails),
               "other_phones": "; ".join(p[0] for p in self.phones),
               "addresses": str(Address(**self.address)) if self.address else "",
               "social_handles": "; ".join(str(_website(w)) for w in self.websites),
               "tags": tags_text(self.tags)}
        return {name: {"old": None, "new": value} for name, value in new.items() if value}


def _emails(values: dict[str, str], contact: dict, errors: dict) -> list[str]:
    found: list[str] = []
    for column in EMAIL_COLUMNS:
        for raw in filter(None, _SEVERAL_EMAILS.split(values.get(column, ""))):
            try:
                email = contact_email(raw)
            except ValidationError as exc:
                errors.setdefault(column, []).extend(exc.messages)
                continue
            if email != contact.get("email") and email not in found:
                found.append(email)
    return found


def _phones(values: dict[str, str], contact: dict, region: str, errors: dict) -> list[tuple]:
    found: list[tuple[str, str, str]] = []
    for column, label in PHONE_COLUMNS.items():
        for raw in filter(None, _SEVERAL_PHONES.split(values.get(column, ""))):
            try:
                e164 = to_e164(raw, region=region)
            except ValidationError as exc:
                errors.setdefault(column, []).extend(exc.messages)
                continue
            if e164 != contact.get("phone_e164") and e164 not in {p[1] for p in found}:
                found.append((raw, e164, label))
    return found


def _website(address: str) -> SocialHandle:
    return SocialHandle(network=SocialNetwork.WEBSITE, handle=address)


def _websites(values: dict[str, str], errors: dict) -> list[str]:
    """The row's web addresses as typed ("example.com" or "https://example.com/about")."""
    found: list[str] = []
    for raw in filter(None, _SEVERAL_WEBSITES.split(values.get("website", ""))):
        try:
            if len(raw) > _HANDLE_LENGTH:
                raise ValidationError("too long")
            _WEB_ADDRESS(raw if "://" in raw else f"https://{raw}")
        except ValidationError:
            errors["website"] = [_("Enter web addresses such as example.com or "
                                   "https://example.com/about, at most %(max)s characters "
                                   "each.") % {"max": _HANDLE_LENGTH}]
            continue
        if raw not in found:
            found.append(raw)
    return found


def _address(values: dict[str, str], errors: dict) -> dict[str, str] | None:
    if not values.get("street"):
        return None  # city and country alone stay the contact's own fields
    data = {name: values.get(column, "") for column, name in ADDRESS_COLUMNS.items()}
    data["country"] = country_code(data["country"]) or data["country"].upper()
    address = Address(contact=Contact(), is_primary=True, **data)
    try:
        address.full_clean(exclude=["contact", "account"], validate_constraints=False)
        if len(address.street) > Address._meta.get_field("street").max_length:
            raise ValidationError({"street": [_("The street has too many characters.")]})
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            column = next((c for c, n in ADDRESS_COLUMNS.items() if n == name), "street")
            errors.setdefault(column, []).extend(messages)
        return None
    return data


def read_details(values: dict[str, str], contact: dict[str, object], *,
                 region: str = "") -> tuple[RowDetails, dict]:
    """A row's details for `contact` (its validated fields by name), and errors by import
    column; `region` reads phone numbers without a country code when the contact has no
    country. A contact without a primary email or phone takes the first other one as it."""
    errors: dict[str, list[str]] = {}
    region = str(contact.get("country") or region)
    details = RowDetails(emails=_emails(values, contact, errors),
                         phones=_phones(values, contact, region, errors),
                         address=_address(values, errors),
                         websites=_websites(values, errors))
    # Google joins labels with " ::: " and adds its own ("* myContacts", "* starred").
    names = parse_tags(values.get("tags", "").replace(":::", ";"))
    try:
        details.tags = clean_tags("tags", [n for n in names if not n.startswith("* ")])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if details.emails and not contact.get("email"):
        contact["email"] = details.emails.pop(0)
    if details.phones and not contact.get("phone"):
        contact["phone"], contact["phone_e164"], _label = details.phones.pop(0)
    return details, errors


def _tags(names: Iterable[str]) -> dict[str, Tag]:
    """Tags by case-folded name, created where missing (one tag whatever its case)."""
    wanted = {name.casefold(): name for name in names}
    found = {}
    for tag in Tag.objects.filter(name__in=list(wanted.values())):
        found[tag.name.casefold()] = tag
    for key, name in wanted.items():
        if key not in found:
            found[key] = (Tag.objects.filter(name__iexact=name).first()
                          or Tag.objects.create(name=name))
    return found


def write_details(rows: list[tuple[int, RowDetails]]) -> None:
    """Insert the details of saved contacts, given by id; what a contact already has is
    left alone (an import run twice, or updating a contact, adds nothing twice)."""
    rows = [(c, d) for c, d in rows
            if d.emails or d.phones or d.address or d.websites or d.tags]
    if not rows:
        return
    ids = [pk for pk, _d in rows]
    ContactEmail.objects.bulk_create(
        [ContactEmail(contact_id=c, email=e) for c, d in rows for e in d.emails],
        ignore_conflicts=True)
    ContactPhone.objects.bulk_create(
        [ContactPhone(contact_id=c, phone=p, phone_e164=e164, label=label)
         for c, d in rows for p, e164, label in d.phones], ignore_conflicts=True)
    with_address = set(Address.objects.filter(contact_id__in=ids)
                       .values_list("contact_id", flat=True))
    addresses: dict[int, dict] = {}
    for c, d in rows:  # one primary address a contact: the first row's
        if d.address and c not in with_address:
            addresses.setdefault(c, d.address)
    Address.objects.bulk_create([Address(contact_id=c, is_primary=True, **address)
                                 for c, address in addresses.items()])
    SocialHandle.objects.bulk_create(
        [SocialHandle(contact_id=c, network=SocialNetwork.WEBSITE, handle=w)
         for c, d in rows for w in d.websites], ignore_conflicts=True)
    tags = _tags(name for _c, d in rows for name in d.tags)
    tagged = set(TaggedContact.objects.filter(content_object_id__in=ids)
                 .values_list("content_object_id", "tag_id"))
    new = {(c, tags[name.casefold()].pk) for c, d in rows for name in d.tags} - tagged
    TaggedContact.objects.bulk_create(
        [TaggedContact(content_object_id=c, tag_id=tag) for c, tag in sorted(new)])
