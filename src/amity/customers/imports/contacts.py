"""Turning one mapped row of an import file into a validated, unsaved Contact.

The same validation as a contact typed into a form (Contact.full_clean: email and phone
normalised), minus the foreign-key checks, whose values the import sets itself."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amity.core.custom_fields import CustomField
from amity.customers.imports.custom import split_custom
from amity.customers.imports.details import DETAIL_FIELDS, RowDetails, read_details
from amity.customers.imports.mapping import TARGET_FIELDS
from amity.customers.models import Account, Contact, Gender, IncomeBand

_CONTACT_FIELDS = {f.name for f in Contact._meta.concrete_fields if f.editable}
# The contact fields an import column may fill; "full_name" is split into given/family;
# the detail fields become other emails and phones, a primary address, tags.
IMPORTABLE_FIELDS = tuple(f for f in TARGET_FIELDS
                          if f in _CONTACT_FIELDS or f == "full_name" or f in DETAIL_FIELDS)
# Checked by the import itself: the owner and team are the job's, the account is looked
# up among those the job's owner may see.
_NOT_VALIDATED = frozenset({"owner", "team", "created_by", "updated_by", "deleted_by",
                            "account", "id"})
_ALL_FIELDS = frozenset(f.name for f in Contact._meta.concrete_fields)
_GENDERS = {"f": Gender.FEMALE, "female": Gender.FEMALE, "woman": Gender.FEMALE,
            "m": Gender.MALE, "male": Gender.MALE, "man": Gender.MALE,
            "other": Gender.OTHER, "undisclosed": Gender.UNDISCLOSED}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y")


@dataclass(slots=True)
class Candidate:
    """A row made into an unsaved contact, or the errors that stop it (field -> messages)."""

    contact: Contact
    fields: tuple[str, ...]  # the contact fields the row gives a value for
    errors: dict[str, list[str]]
    details: RowDetails = field(default_factory=RowDetails)


def mapped_values(values: Mapping[str, str], mapping: Mapping[str, str | None]) -> dict[str, str]:
    """The row's cells keyed by contact field, stripped; unmapped columns left out."""
    return {target: values.get(header, "").strip()
            for header, target in mapping.items() if target}


def split_full_name(full: str) -> tuple[str, str]:
    """(given, family) from a full name: Chinese family name first, others last."""
    text = " ".join(full.split())
    if text and "\u3400" <= text[0] <= "\u9fff" and " " not in text:
        return text[1:], text[:1]
    given, _sep, family = text.rpartition(" ")
    return given, family


def _date(text: str) -> dt.date:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError(_("Enter the date as YYYY-MM-DD, e.g. 1990-04-13."))


def _data(values: dict[str, str], accounts: Mapping[str, Account | None],
          errors: dict[str, list[str]]) -> dict[str, object]:
    data: dict[str, object] = {k: v for k, v in values.items()
                               if v and k not in ("full_name", "account", *DETAIL_FIELDS)}
    if values.get("full_name") and not values.get("family_name"):
        given, family = split_full_name(values["full_name"])
        data["family_name"] = family
        data.setdefault("given_name", given)
    if "birth_date" in data:
        try:
            data["birth_date"] = _date(data["birth_date"])
        except ValidationError as exc:
            errors["birth_date"] = exc.messages
            del data["birth_date"]
    if "gender" in data:
        data["gender"] = _GENDERS.get(str(data["gender"]).casefold(), data["gender"])
    if "country" in data:
        data["country"] = str(data["country"]).upper()
    if "income_band" in data:  # the band's code or its English name ("Upper middle")
        bands = {str(label).casefold(): value for value, label in IncomeBand.choices}
        text = str(data["income_band"]).casefold().replace(" ", "_")
        data["income_band"] = text if text in IncomeBand.values \
            else bands.get(text.replace("_", " "), text)
    if values.get("account") and accounts.get(values["account"]) is not None:
        data["account"] = accounts[values["account"]]
    return data


def build_contact(values: dict[str, str], *, accounts: Mapping[str, Account | None],
                  custom_fields: list[CustomField] | None = None) -> Candidate:
    """An unsaved contact from a row's mapped values, validated and normalised.
    `custom_fields`: the contact's active custom fields (read once per batch by the caller;
    read here if not given)."""
    values, custom, errors = split_custom(values, custom_fields)
    data = _data(values, accounts, errors)
    contact = Contact(**data, custom=custom)
    given = tuple(name for name in data if name != "account") + (("custom",) if custom else ())
    exclude = _NOT_VALIDATED | (_ALL_FIELDS - set(given) - {"family_name"}) | set(errors)
    try:
        contact.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    had = {"email": contact.email, "phone": contact.phone}
    details, detail_errors = read_details(values, contact)
    for name, messages in detail_errors.items():
        errors.setdefault(name, []).extend(messages)
    promoted = tuple(name for name, value in had.items() if getattr(contact, name) != value)
    return Candidate(contact, (*given, *promoted, *(("account",) if "account" in data else ())),
                     errors, details)


def error_column(name: str, mapping: Mapping[str, str | None]) -> str:
    """The file's column header for a contact field named in an error ("" if none)."""
    by_target = {target: header for header, target in mapping.items() if target}
    if name in by_target:
        return by_target[name]
    if name in ("given_name", "family_name") and "full_name" in by_target:
        return by_target["full_name"]
    if name == "phone_e164" and "phone" in by_target:
        return by_target["phone"]
    return ""
