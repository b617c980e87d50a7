"""Custom values as people read them: dates in their calendar, numbers with their digits."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from amity.core import calendars
from amity.core.custom_fields import CustomField, FieldType, display_custom


def _number(text: Any) -> str:
    try:
        return calendars.format_number(Decimal(str(text)))
    except InvalidOperation:
        return str(text)


def format_custom(field: CustomField, value: Any) -> str:
    """A stored value for display in the active language and calendar ("" if empty)."""
    try:
        if field.type == FieldType.DATE:
            return calendars.format_date(dt.date.fromisoformat(value))
        if field.type == FieldType.NUMBER:
            return _number(value)
        if field.type == FieldType.MONEY:
            return f"{_number(value['amount'])} {value['currency']}"
    except (TypeError, KeyError, ValueError):
        pass  # a value stored before its field's type rules: shown as stored
    return display_custom(field, value) or ""
