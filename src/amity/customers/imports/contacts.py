"""Turning one mapped row of an import file into a validated row: a dict of contact fields.

The same rules as a contact typed into a form: each field's own checks (length, choices,
dates) through the model's field, then customers.models.normalise_contact (email and phone
normalised) — what Contact.full_clean runs, minus the foreign-key checks, whose values the
import sets itself, and without building a Contact per row (that cost more than the checks)."""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amity.core.countries import country_code
from amity.core.custom_fields import CustomField
from amity.core.services import record_create
from amity.customers.company_names import company_core
from amity.customers.imports.custom import split_custom
from amity.customers.imports.details import DETAIL_FIELDS, RowDetails, read_details
from amity.customers.imports.mapping import TARGET_FIELDS
from amity.customers.models import Account, Contact, Gender, IncomeBand, normalise_contact

_CONTACT_FIELDS = {f.name for f in Contact._meta.concrete_fields if f.editable}
# The contact fields an import column may fill; "full_name" is split into given/family,
# "middle_name" follows the given name; the detail fields become other emails and phones,
# a primary address, tags.
_NAME_PARTS = ("full_name", "middle_name")
IMPORTABLE_FIELDS = tuple(f for f in TARGET_FIELDS
                          if f in _CONTACT_FIELDS or f in _NAME_PARTS or f in DETAIL_FIELDS)
# Checked by the import itself: the owner and team are the job's, the account is looked
# up among those the job's owner may see.
_NOT_VALIDATED = frozenset({"owner", "team", "created_by", "updated_by", "deleted_by",
                            "account", "id"})
_FIELDS = {f.name: f for f in Contact._meta.concrete_fields}
_GENDERS = {"f": Gender.FEMALE, "female": Gender.FEMALE, "woman": Gender.FEMALE,
            "m": Gender.MALE, "male": Gender.MALE, "man": Gender.MALE,
            "other": Gender.OTHER, "undisclosed": Gender.UNDISCLOSED}
_ACCOUNT_NAME_LENGTH = Account._meta.get_field("name").max_length
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y")


class LinkedAccount(NamedTuple):
    """The little of an account a row needs: its id, its name (shown in the contact's
    history) and its country (reads phone numbers written without a country code)."""

    pk: int
    name: str
    country: str

    def __str__(self) -> str:
        return self.name


@dataclass(slots=True)
class Candidate:
    """A row made into a validated row, or the errors that stop it (field -> messages).

    `values` holds the contact's fields by name ("account" is a LinkedAccount, "phone_e164"
    is derived from "phone", "custom" the custom values the row gives); `fields` names those
    the row gave a value for; `details` what becomes other emails, phones, address, tags."""

    values: dict[str, object]
    fields: tuple[str, ...]
    errors: dict[str, list[str]]
    details: RowDetails = field(default_factory=RowDetails)


def mapped_values(values: Mapping[str, str], mapping: Mapping[str, str | None]) -> dict[str, str]:
    """The row's cells keyed by contact field, stripped; unmapped columns left out."""
    return {target: values.get(header, "").strip()
            for header, target in mapping.items() if target}


def linked_accounts(user, names: Iterable[str] | None = None) -> dict[str, LinkedAccount]:
    """The accounts `user` may see, by name, among `names` or all of them (the oldest of a
    shared name)."""
    found = Account.objects.visible_to(user)
    if names is not None:
        found = found.filter(name__any=set(names))
    return {name: LinkedAccount(pk, name, country) for pk, name, country
            in found.order_by("-id").values_list("id", "name", "country")}


class AccountNames:
    """The accounts an import may link, by name: looked up a batch of names at a time, or
    all read at the start when the file has more rows than the user sees accounts (one scan
    then costs less than an index probe per name).

    A name no account has exactly is linked by its company_core ("Siam Fresh Foods Co.,
    Ltd." to "Siam Fresh Foods") when one visible account alone has that core; the cores
    are read once, on the first such name, if the user sees at most MAX_PRELOADED
    accounts."""

    MAX_PRELOADED = 200_000
    MAX_CACHED = 50_000

    def __init__(self, user, *, rows: int = 0) -> None:
        self.user, self.by_name = user, {}
        self.by_core: dict[str, LinkedAccount | None] | None = None
        self.complete = rows > 10_000 and Account.objects.visible_to(user).count() <= min(
            rows, self.MAX_PRELOADED)
        if self.complete:
            self.by_name = linked_accounts(user)

    def create(self, names: list[str]) -> dict[str, LinkedAccount | None]:
        """New accounts of the user named `names`, as the record service makes them (with
        their "created" events), one per company core ("Acme Ltd" and "ACME Limited" make
        one); a name the account's checks refuse (too long), or whose core several accounts
        share, is left without one. The map to look names up in."""
        cores = self._cores() if names else {}
        for name in names:
            core = company_core(name)
            if core in cores:
                if cores[core] is not None:
                    self.by_name[name] = cores[core]
                continue
            try:
                account = record_create(model=Account, user=self.user, data={"name": name})
            except ValidationError:
                continue
            self.by_name[name] = LinkedAccount(account.pk, account.name, account.country)
            if core:
                cores[core] = self.by_name[name]
        return self.by_name

    def load(self, names: set[str]) -> dict[str, LinkedAccount | None]:
        """The map to look `names` up in (None for a name no visible account has)."""
        unknown = names - self.by_name.keys()
        if unknown and not self.complete:
            if len(self.by_name) > self.MAX_CACHED:
                self.by_name = {}
            self.by_name.update(linked_accounts(self.user, unknown))
        if unlinked := [name for name in unknown if self.by_name.get(name) is None]:
            cores = self._cores()
            self.by_name.update((name, cores.get(company_core(name))) for name in unlinked)
        return self.by_name

    def shared_core(self, name: str) -> bool:
        """Whether several visible accounts have `name`'s company core, so it links none."""
        cores, core = self._cores(), company_core(name)
        return bool(core) and core in cores and cores[core] is None

    def _cores(self) -> dict[str, LinkedAccount | None]:
        """The visible accounts by company core; None where several share one."""
        if self.by_core is None:
            self.by_core = {}
            if self.complete or Account.objects.visible_to(self.user).count() \
                    <= self.MAX_PRELOADED:
                accounts = self.by_name if self.complete else linked_accounts(self.user)
                for account in filter(None, accounts.values()):
                    if core := company_core(account.name):
                        self.by_core[core] = account if self.by_core.get(core, account) \
                            == account else None
        return self.by_core


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


def _data(values: dict[str, str], accounts: Mapping[str, LinkedAccount | None],
          errors: dict[str, list[str]]) -> dict[str, object]:
    data: dict[str, object] = {k: v for k, v in values.items()
                               if v and k not in (*_NAME_PARTS, "account", *DETAIL_FIELDS)}
    if values.get("full_name") and not values.get("family_name"):
        given, family = split_full_name(values["full_name"])
        data["family_name"] = family
        data.setdefault("given_name", given)
    if values.get("middle_name"):  # "John" "Michael" "Smith": given name "John Michael"
        data["given_name"] = " ".join(filter(None, (data.get("given_name"),
                                                    values["middle_name"])))
    if "birth_date" in data:
        try:
            data["birth_date"] = _date(data["birth_date"])
        except ValidationError as exc:
            errors["birth_date"] = exc.messages
            del data["birth_date"]
    if "gender" in data:
        data["gender"] = _GENDERS.get(str(data["gender"]).casefold(), data["gender"])
    if "country" in data:  # "Thailand", "ประเทศไทย"… as TH; other text meets the field's checks
        data["country"] = country_code(str(data["country"])) or str(data["country"]).upper()
    if "income_band" in data:  # the band's code or its English name ("Upper middle")
        bands = {str(label).casefold(): value for value, label in IncomeBand.choices}
        text = str(data["income_band"]).casefold().replace(" ", "_")
        data["income_band"] = text if text in IncomeBand.values \
            else bands.get(text.replace("_", " "), text)
    return data


def _check_fields(data: dict[str, object], errors: dict[str, list[str]]) -> None:
    """Each given field's own checks, as Model.clean_fields runs them (family name always:
    it may not be blank)."""
    for name, model_field in _FIELDS.items():
        if name in _NOT_VALIDATED or name in errors or (name not in data
                                                          and name != "family_name"):
            continue
        try:
            data[name] = model_field.clean(data.get(name, ""), None)
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)


def validate_row(values: dict[str, str], *, accounts: Mapping[str, LinkedAccount | None],
                 custom_fields: list[CustomField] | None = None) -> Candidate:
    """A validated, normalised row of contact fields from a row's mapped values.
    `custom_fields`: the contact's active custom fields, read here if not given (the import
    runner reads them once: it validates on a thread that must not query the database)."""
    values, custom, errors = split_custom(values, custom_fields)
    data = _data(values, accounts, errors)
    given = tuple(data)
    _check_fields(data, errors)
    account = accounts.get(values.get("account") or "")
    if len(values.get("account", "")) > _ACCOUNT_NAME_LENGTH:  # no account can have it
        errors["account"] = [_("An account name has at most %(max)s characters (this has "
                               "%(length)s).") % {"max": _ACCOUNT_NAME_LENGTH,
                                                  "length": len(values["account"])}]
    region = account.country if account else ""
    for name, messages in normalise_contact(data, account_country=region).items():
        errors.setdefault(name, []).extend(messages)
    had = {name: data.get(name) for name in ("email", "phone")}
    details, detail_errors = read_details(values, data, region=region)
    for name, messages in detail_errors.items():
        errors.setdefault(name, []).extend(messages)
    promoted = tuple(name for name, value in had.items() if data.get(name) != value)
    if custom:
        data["custom"] = custom
        given += ("custom",)
    if account is not None:
        data["account"] = account
        given += ("account",)
    return Candidate(data, (*given, *promoted), errors, details)


def error_column(name: str, mapping: Mapping[str, str | None]) -> str:
    """The file's column header for a contact field named in an error ("" if none)."""
    by_target = {target: header for header, target in mapping.items() if target}
    if name in by_target:
        return by_target[name]
    if name in ("given_name", "family_name") and "full_name" in by_target:
        return by_target["full_name"]
    if name == "given_name" and "middle_name" in by_target:
        return by_target["middle_name"]
    if name == "phone_e164" and "phone" in by_target:
        return by_target["phone"]
    return ""
