"""Custom fields an administrator defines per kind of record, and the one validation of
their values (`clean_custom`) that forms, the API and the import all use.

A record keeps its values in its `custom` JSON field, keyed by the field's key. Values are
stored normalised so SQLite and PostgreSQL read them the same: text and choice values as
strings, numbers as decimal strings, money as {"amount": "12.50", "currency": "THB"},
dates as ISO strings, multi-choice as a list of choice values, booleans as JSON booleans."""

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.core.money import validate_currency

TEXT_MAX = 1000
NUMBER_DIGITS = 15  # before the decimal point
NUMBER_PLACES, MONEY_PLACES = 6, 4
CHOICES_MAX, CHOICE_MAX_LENGTH = 200, 100
# Unicode control characters other than tab and newlines: PostgreSQL's jsonb refuses NUL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRUE, _FALSE = {"true", "yes", "1", "y"}, {"false", "no", "0", "n"}


class FieldType(models.TextChoices):
    TEXT = "text", gettext_lazy("Text")
    NUMBER = "number", gettext_lazy("Number")
    MONEY = "money", gettext_lazy("Money")
    DATE = "date", gettext_lazy("Date")
    CHOICE = "choice", gettext_lazy("Choice")
    MULTI_CHOICE = "multi_choice", gettext_lazy("Several choices")
    BOOLEAN = "boolean", gettext_lazy("Yes or no")


CHOICE_TYPES = (FieldType.CHOICE, FieldType.MULTI_CHOICE)
# Keys are JSON keys and ORM lookups (custom__<key>): no "__", no dots, ASCII only.
validate_key = RegexValidator(
    r"^[a-z][a-z0-9]*(_[a-z0-9]+)*\Z",
    gettext_lazy("Use lower-case letters, digits and single underscores, starting with a "
                 "letter, e.g. shoe_size."),
)


def custom_kinds() -> list:
    """The kinds of record that hold custom values (a `custom` JSON field)."""
    from amity.core.registry import record_kinds

    return [kind for kind in record_kinds()
            if any(f.name == "custom" for f in kind.model._meta.concrete_fields)]


def validate_kind(key: str) -> None:
    if key not in {kind.key for kind in custom_kinds()}:
        raise ValidationError(_("This kind of record has no custom fields."))


class CustomField(models.Model):
    """One field an administrator added to a kind of record."""

    record_kind = models.CharField(gettext_lazy("kind of record"), max_length=100,
                                   validators=[validate_kind])
    key = models.CharField(gettext_lazy("key"), max_length=50, validators=[validate_key],
                           help_text=gettext_lazy("Used in the API, filters and imports; "
                                                  "cannot be changed later."))
    label = models.CharField(gettext_lazy("label"), max_length=200)
    type = models.CharField(gettext_lazy("type"), max_length=20, choices=FieldType.choices)
    # [{"value": "gold", "label": "Gold"}, …]: the value is stored, the label shown.
    choices = models.JSONField(gettext_lazy("choices"), default=list, blank=True)
    required = models.BooleanField(gettext_lazy("required"), default=False)
    help_text = models.CharField(gettext_lazy("help text"), max_length=500, blank=True)
    position = models.PositiveIntegerField(gettext_lazy("position"), default=0)
    archived = models.BooleanField(
        gettext_lazy("archived"), default=False,
        help_text=gettext_lazy("Hidden from forms and lists; stored values are kept."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("custom field")
        verbose_name_plural = gettext_lazy("custom fields")
        ordering = ["record_kind", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["record_kind", "key"],
                                               name="custom_field_key_once")]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.type in CHOICE_TYPES:
            self.choices = _clean_choices(self.choices)
        elif self.choices:
            raise ValidationError({"choices": _("Only choice fields have choices.")})

    @property
    def choice_labels(self) -> dict[str, str]:
        return {c["value"]: c["label"] for c in self.choices}


def _clean_choices(choices: Any) -> list[dict[str, str]]:
    if not isinstance(choices, list) or not choices:
        raise ValidationError({"choices": _("Give at least one choice.")})
    if len(choices) > CHOICES_MAX:
        raise ValidationError({"choices": _("At most %(n)s choices.") % {"n": CHOICES_MAX}})
    cleaned, seen = [], set()
    for choice in choices:
        value = str(choice.get("value", "")).strip() if isinstance(choice, dict) else ""
        label = str(choice.get("label", "")).strip() if isinstance(choice, dict) else ""
        value = value or label
        if not value or len(value) > CHOICE_MAX_LENGTH or len(label) > CHOICE_MAX_LENGTH \
                or _CONTROL.search(value + label):
            raise ValidationError({"choices": _("Each choice needs a label of at most "
                                                "%(n)s characters.") % {"n": CHOICE_MAX_LENGTH}})
        if value in seen:
            raise ValidationError({"choices": _("%(value)s is there twice.") % {"value": value}})
        seen.add(value)
        cleaned.append({"value": value, "label": label or value})
    return cleaned


def active_fields(kind: str) -> list[CustomField]:
    """The fields shown and accepted for `kind`, in order."""
    return list(CustomField.objects.filter(record_kind=kind, archived=False))


# Conversions of one value to its stored form; each raises ValidationError with a message.
def _decimal(value: Any, places: int) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise ValidationError(_("Enter a number."))
    try:
        number = Decimal(str(value).strip().replace(",", "").replace("٬", "").replace("٫", "."))
    except InvalidOperation as exc:
        raise ValidationError(_("Enter a number.")) from exc
    if not number.is_finite():
        raise ValidationError(_("Enter a number."))
    if abs(number) >= Decimal(10) ** NUMBER_DIGITS:
        raise ValidationError(_("Enter a number below %(max)s.")
                              % {"max": f"{10 ** NUMBER_DIGITS:,}"})
    number = number.normalize()
    if -number.as_tuple().exponent > places:
        raise ValidationError(_("Use at most %(n)s decimal places.") % {"n": places})
    return format(number, "f")


def _text(field: CustomField, value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationError(_("Enter text."))
    if len(value) > TEXT_MAX:
        raise ValidationError(_("Enter at most %(n)s characters.") % {"n": TEXT_MAX})
    if _CONTROL.search(value):
        raise ValidationError(_("Remove the control characters."))
    return value


def _money(field: CustomField, value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or set(value) - {"amount", "currency"}:
        raise ValidationError(_("Give an amount and a currency, e.g. 1500 THB."))
    currency = value.get("currency")
    if not isinstance(currency, str) or not currency.strip():
        raise ValidationError(_("Give the currency, e.g. THB."))
    currency = currency.strip().upper()
    validate_currency(currency)
    return {"amount": _decimal(value.get("amount"), MONEY_PLACES), "currency": currency}


def _date(field: CustomField, value: Any) -> str:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise ValidationError(_("Enter the date as YYYY-MM-DD, e.g. 2026-04-13."))


def _choice(field: CustomField, value: Any) -> str:
    if not isinstance(value, str) or value not in field.choice_labels:
        raise ValidationError(_("Choose one of: %(choices)s.")
                              % {"choices": ", ".join(field.choice_labels)})
    return value


def _multi_choice(field: CustomField, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise ValidationError(_("Give a list of choices."))
    chosen = [_choice(field, item) for item in value]
    return list(dict.fromkeys(chosen))


def _boolean(field: CustomField, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().casefold() in _TRUE | _FALSE:
        return value.strip().casefold() in _TRUE
    raise ValidationError(_("Enter yes or no (true or false)."))


_CONVERT = {
    FieldType.TEXT: _text,
    FieldType.NUMBER: lambda field, value: _decimal(value, NUMBER_PLACES),
    FieldType.MONEY: _money,
    FieldType.DATE: _date,
    FieldType.CHOICE: _choice,
    FieldType.MULTI_CHOICE: _multi_choice,
    FieldType.BOOLEAN: _boolean,
}


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {} or (
        isinstance(value, dict) and value.get("amount") in (None, ""))


def error_key(key: Any) -> str:
    """The name an error about custom value `key` is reported under."""
    return f"custom.{str(key)[:60]}"


def clean_custom(kind: str, data: Any, *, partial: bool = False,
                 fields: Iterable[CustomField] | None = None) -> dict[str, Any]:
    """`data` (custom values keyed by field key) checked and normalised for `kind`.

    With `partial`, only the keys given are checked (a PATCH) and an empty value comes
    back as None, meaning "clear it". Raises ValidationError keyed by "custom.<key>"."""
    if not isinstance(data, dict):
        raise ValidationError({"custom": [_("Give the custom fields as an object of "
                                            "key: value.")]})
    by_key = {f.key: f for f in (active_fields(kind) if fields is None else fields)}
    unknown = [key for key in data if key not in by_key][:20]  # a huge body: the first few
    errors = {error_key(key): [_("There is no such custom field.")] for key in unknown}
    cleaned: dict[str, Any] = {}
    for key, field in by_key.items():
        if key not in data and (partial or not field.required):
            continue
        value = data.get(key)
        value = value.strip() if isinstance(value, str) else value
        if is_empty(value):
            if field.required:
                errors[error_key(key)] = [_("This field is required.")]
            elif partial:
                cleaned[key] = None
            continue
        try:
            cleaned[key] = _CONVERT[field.type](field, value)
        except ValidationError as exc:
            errors[error_key(key)] = exc.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def merge_custom(stored: dict[str, Any], cleaned: dict[str, Any]) -> dict[str, Any]:
    """Stored values with `cleaned` applied: None clears a key; other keys (archived
    fields) keep their values."""
    merged = {**stored, **cleaned}
    return {key: value for key, value in merged.items() if value is not None}


def display_custom(field: CustomField, value: Any) -> str | None:
    """A stored value as plain text (history, exports): choices by label, money with its
    currency, dates in ISO 8601."""
    if is_empty(value):
        return None
    if field.type == FieldType.CHOICE:
        return field.choice_labels.get(value, str(value))
    if field.type == FieldType.MULTI_CHOICE and isinstance(value, list):
        return ", ".join(field.choice_labels.get(v, str(v)) for v in value)
    if field.type == FieldType.MONEY and isinstance(value, dict):
        return f"{value.get('amount')} {value.get('currency')}"
    if field.type == FieldType.BOOLEAN:
        return _("Yes") if value else _("No")
    return str(value)


def custom_changes(kind: str, old: dict[str, Any], new: dict[str, Any],
                   fields: Iterable[CustomField] | None = None) -> dict[str, dict]:
    """Field-history entries for the custom values that differ, keyed "custom.<key>".
    `fields`: the kind's fields, when the caller has read them already."""
    if fields is None:
        fields = CustomField.objects.filter(record_kind=kind)
    fields = {f.key: f for f in fields}
    changes = {}
    for key in sorted(set(old) | set(new)):
        if old.get(key) == new.get(key):
            continue
        field = fields.get(key)
        show = (lambda v, f=field: display_custom(f, v)) if field else \
            (lambda v: None if is_empty(v) else str(v))
        changes[error_key(key)] = {"old": show(old.get(key)), "new": show(new.get(key))}
    return changes


def custom_labels(kind: str) -> dict[str, str]:
    """"custom.<key>" -> label, for every field of `kind` (archived too)."""
    return {error_key(key): label for key, label in
            CustomField.objects.filter(record_kind=kind).values_list("key", "label")}


def custom_field_save(*, actor, field: CustomField, data: dict[str, Any]) -> CustomField:
    """Create or change a custom field (administrators only). The kind, key and type of
    a field are fixed once it exists: stored values depend on them."""
    if not actor.is_administrator:
        raise PermissionDenied
    if field.pk:
        fixed = CustomField.objects.values("record_kind", "key", "type").get(pk=field.pk)
        changed = [name for name, old in fixed.items() if name in data and data[name] != old]
        if changed:
            raise ValidationError({name: [_("This cannot be changed once the field exists.")]
                                   for name in changed})
    for name, value in data.items():
        setattr(field, name, value)
    taken = CustomField.objects.filter(record_kind=field.record_kind, key=field.key)
    if taken.exclude(pk=field.pk).exists():
        raise ValidationError({"key": [_("This key is already used for this kind of record.")]})
    field.full_clean()
    field.save()
    return field
