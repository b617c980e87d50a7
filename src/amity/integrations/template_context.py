"""What a template may read: an explicit allow-list of fields per object, and the plain
dictionaries of strings built from a contact, its account and the sender."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from amity.core.custom_fields import FieldType, active_fields
from amity.core.custom_values import format_custom

# variable name -> (label for the template editor, how the value is read)
CONTACT_FIELDS = {
    "salutation": _("Salutation"),
    "given_name": _("Given name"),
    "family_name": _("Family name"),
    "full_name": _("Full name"),
    "email": _("Email"),
    "phone": _("Phone"),
    "job_title": _("Job title"),
    "city": _("City"),
    "country": _("Country"),
}
ACCOUNT_FIELDS = {
    "name": _("Name"),
    "legal_name": _("Legal name"),
    "industry": _("Industry"),
    "website": _("Website"),
    "phone": _("Phone"),
    "city": _("City"),
    "country": _("Country"),
}
SENDER_FIELDS = {
    "name": _("Name"),
    "email": _("Email"),
    "reply_to": _("Reply-to"),
}
CONTACT_KIND, ACCOUNT_KIND = "customers.contact", "customers.account"


def _custom_keys(kind: str) -> list[str]:
    return [field.key for field in active_fields(kind)]


def template_variables() -> frozenset[str]:
    """Every variable path a template may use now (custom fields as contact.custom.<key>)."""
    paths = {f"contact.{name}" for name in CONTACT_FIELDS}
    paths |= {f"account.{name}" for name in ACCOUNT_FIELDS}
    paths |= {f"sender.{name}" for name in SENDER_FIELDS}
    paths |= {f"contact.custom.{key}" for key in _custom_keys(CONTACT_KIND)}
    paths |= {f"account.custom.{key}" for key in _custom_keys(ACCOUNT_KIND)}
    return frozenset(paths)


def variable_help() -> list[tuple[str, str]]:
    """(variable, label) for the template editor's list of what can be used."""
    rows = [(f"contact.{k}", str(v)) for k, v in CONTACT_FIELDS.items()]
    rows += [(f"contact.custom.{f.key}", f.label) for f in active_fields(CONTACT_KIND)]
    rows += [(f"account.{k}", str(v)) for k, v in ACCOUNT_FIELDS.items()]
    rows += [(f"account.custom.{f.key}", f.label) for f in active_fields(ACCOUNT_KIND)]
    rows += [(f"sender.{k}", str(v)) for k, v in SENDER_FIELDS.items()]
    return rows


def _custom_values(record, kind: str, fields_cache: dict) -> dict[str, Any]:
    if kind not in fields_cache:  # one query per kind for a whole bulk send
        fields_cache[kind] = active_fields(kind)
    fields = fields_cache[kind]
    stored = (getattr(record, "custom", None) or {}) if record is not None else {}
    values: dict[str, Any] = {}
    for field in fields:
        value = stored.get(field.key)
        if field.type == FieldType.BOOLEAN:
            values[field.key] = bool(value)  # so {% if contact.custom.vip %} reads naturally
        else:
            values[field.key] = format_custom(field, value) if value not in (None, "") else ""
    return values


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def template_context(*, contact, sender: dict[str, str], extra: dict[str, Any] | None = None,
                     fields_cache: dict | None = None) -> dict[str, Any]:
    """The values a template sees, as plain data (never model objects). Custom values are
    formatted in the active language, so call it inside the contact's language."""
    fields_cache = {} if fields_cache is None else fields_cache
    account = contact.account if contact.account_id else None
    person = {name: _text(getattr(contact, name, "")) for name in CONTACT_FIELDS
              if name != "full_name"}
    person["full_name"] = str(contact)
    person["custom"] = _custom_values(contact, CONTACT_KIND, fields_cache)
    company = {name: _text(getattr(account, name, "")) if account else ""
               for name in ACCOUNT_FIELDS}
    company["custom"] = _custom_values(account, ACCOUNT_KIND, fields_cache)
    return {"contact": person, "account": company,
            "sender": {name: sender.get(name, "") for name in SENDER_FIELDS},
            "extra": dict(extra or {})}
