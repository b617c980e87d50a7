import datetime as dt
from decimal import Decimal, InvalidOperation

from babel.lists import format_list
from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from amity.core import calendars
from amity.core.custom_fields import CustomField, FieldType, active_fields, error_key
from amity.core.custom_values import format_custom
from amity.events.kinds import describe_event, event_kind_label
from amity.web.records import shown

register = template.Library()

EVENT_LABELS = {
    "created": _("Created"),
    "updated": _("Changed"),
    "assigned": _("Assigned"),
    "deleted": _("Deleted"),
    "restored": _("Restored"),
    "merged": _("Merged"),
    "merged_into": _("Merged into another contact"),
    "merge_undone": _("Merge undone"),
    "sms.sent": _("Text message sent"),
    "sms.delivered": _("Text message delivered"),
    "sms.failed": _("Text message failed"),
    "email.received": _("Email received"),
    "email.sent": _("Email sent"),
}


@register.filter
def userdate(value) -> str:
    return calendars.format_date(value)


@register.filter
def userdatetime(value) -> str:
    return calendars.format_datetime(value)


@register.filter
def number(value) -> str:
    return calendars.format_number(value) if isinstance(value, int | float) else value


@register.filter
def visible(queryset, user):
    """Only the records of a related list that the user may see."""
    return queryset.visible_to(user)


@register.filter
def is_visible(record, user) -> bool:
    return type(record).objects.visible_to(user).filter(pk=record.pk).exists()


@register.filter
def field_label(record, name: str) -> str:
    if name.startswith("custom."):
        label, _type = _custom_fields_of(record).get(name, (name, None))
        return label
    try:
        field = record._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    # A related list (other email addresses, memberships) is named by its model.
    label = getattr(field, "verbose_name", None) or field.related_model._meta.verbose_name_plural
    return str(label).capitalize()


@register.simple_tag
def history_value(record, name: str, text) -> object:
    """A field-history value as the reader reads it: stored as plain text (dates in ISO
    8601, numbers with a dot, True or False), shown in their calendar, digits and
    language; "—" when empty, as stored when it is not of its field's type."""
    if text is None or text == "":
        return "—"
    try:
        if name.startswith("custom."):
            return _custom_history_value(record, name, str(text))
        field = record._meta.get_field(name)
        if field.is_relation or field.choices:
            return text
        if isinstance(field, models.DateTimeField):
            return shown(dt.datetime.fromisoformat(text))
        if isinstance(field, models.DateField):
            return shown(dt.date.fromisoformat(text))
        if isinstance(field, models.DecimalField | models.IntegerField | models.FloatField):
            return shown(_finite(text))
        if isinstance(field, models.BooleanField) and text in ("True", "False"):
            return shown(text == "True")
    except (FieldDoesNotExist, ValueError, InvalidOperation):
        pass
    return text


def _finite(text: str) -> Decimal:
    number = Decimal(text)
    if not number.is_finite():
        raise ValueError(text)
    return number


def _custom_fields_of(record) -> dict[str, tuple[str, str]]:
    """"custom.<key>" -> (label, type) of every custom field of the record's kind
    (archived too), read once per record page, not per history row."""
    if not hasattr(record, "_custom_fields"):
        record._custom_fields = {
            error_key(key): (label, kind) for key, label, kind in CustomField.objects.filter(
                record_kind=type(record).kind_key()).values_list("key", "label", "type")}
    return record._custom_fields


def _custom_history_value(record, name: str, text: str) -> str:
    """A custom value as history holds it (display_custom's text) for the reader."""
    _label, kind = _custom_fields_of(record).get(name, (name, None))
    if kind == FieldType.DATE:
        return shown(dt.date.fromisoformat(text))
    if kind == FieldType.NUMBER:
        return shown(_finite(text))
    if kind == FieldType.MONEY:
        amount, _space, currency = text.partition(" ")
        return f"{shown(_finite(amount))} {currency}"
    return text


@register.filter
def field_labels(record, names) -> str:
    """The labels of the named fields as a list in the active language ("a, b and c")."""
    labels = [field_label(record, name) for name in names]
    return format_list(labels, style="standard", locale=calendars.babel_locale()) if labels else ""


@register.filter
def event_label(kind: str) -> str:
    return EVENT_LABELS.get(kind) or event_kind_label(kind) or kind


@register.filter
def event_detail(event) -> str:
    """The line an app gives its kind of event (see events.kinds), or ""."""
    return describe_event(event)


@register.filter
def custom_values(record) -> list[tuple[str, str]]:
    """(label, value in the user's language and calendar) of the record's active custom
    fields that have a value."""
    stored = getattr(record, "custom", None) or {}
    if not stored:
        return []
    return [(field.label, format_custom(field, stored[field.key]))
            for field in active_fields(type(record).kind_key()) if field.key in stored]
