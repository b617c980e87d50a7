"""Values typed in a rule (a condition's value, a field to set) checked by the type of the
field they go with, and stored as custom values are (see core.custom_fields)."""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amity.automation.kinds import FieldSpec
from amity.core.custom_fields import CustomField, FieldType, clean_custom

_MONEY = re.compile(r"^\s*(?P<amount>[^A-Za-z]+?)\s*(?P<currency>[A-Za-z]{3})\s*$")


def _money_input(raw: Any) -> Any:
    """"1500 THB" (or {"amount", "currency"}) as the dict clean_custom checks."""
    if isinstance(raw, str):
        match = _MONEY.match(raw)
        if not match:
            raise ValidationError(_("Give an amount and a currency, e.g. 1500 THB."))
        return {"amount": match["amount"], "currency": match["currency"]}
    return raw


def clean_value(spec: FieldSpec, raw: Any) -> Any:
    """`raw` checked and normalised for `spec` (ValidationError with a plain message)."""
    if spec.type == FieldType.MONEY:
        raw = _money_input(raw)
    if raw is None or raw == "" or raw == []:
        raise ValidationError(_("Enter a value."))
    probe = CustomField(key="value", type=spec.type, label=spec.label,
                        choices=[{"value": v, "label": lbl} for v, lbl in spec.options])
    try:
        value = clean_custom("", {"value": raw}, fields=[probe])["value"]
    except ValidationError as exc:
        raise ValidationError(exc.message_dict["custom.value"]) from exc
    # Built-in fields have their own limits, which the record would refuse at run time.
    if spec.max_length and len(value) > spec.max_length:
        raise ValidationError(_("Enter at most %(n)s characters.") % {"n": spec.max_length})
    if spec.integer and Decimal(value) != Decimal(value).to_integral_value():
        raise ValidationError(_("Enter a whole number."))
    return value


def field_data(spec: FieldSpec, value: Any) -> dict[str, Any]:
    """The `data` for record_update that sets `spec` to the stored `value`."""
    if spec.custom_key:
        return {"custom": {spec.custom_key: value}}
    if spec.type == FieldType.MONEY:
        return {spec.name: Decimal(value["amount"]), spec.currency_field: value["currency"]}
    if spec.type == FieldType.NUMBER:
        number = Decimal(value)
        return {spec.name: int(number) if number == number.to_integral_value() else number}
    if spec.type == FieldType.DATE:
        return {spec.name: dt.date.fromisoformat(value)}
    return {spec.name: value}


def show_value(spec: FieldSpec, value: Any) -> str:
    """A stored value as people read it in the editor and the run log."""
    if spec.type == FieldType.MONEY and isinstance(value, dict):
        return f"{value.get('amount')} {value.get('currency')}"
    if spec.type == FieldType.CHOICE:
        return dict(spec.options).get(str(value), str(value))
    if spec.type == FieldType.BOOLEAN:
        return _("Yes") if value else _("No")
    return str(value)


def editor_value(spec: FieldSpec | None, value: Any) -> str:
    """A stored value as it goes back into the editor's input."""
    if spec is not None and spec.type == FieldType.MONEY and isinstance(value, dict):
        return f"{value.get('amount')} {value.get('currency')}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
