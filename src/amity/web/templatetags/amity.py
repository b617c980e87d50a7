from babel.lists import format_list
from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from amity.core import calendars

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
    try:
        field = record._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    # A related list (other email addresses, memberships) is named by its model.
    label = getattr(field, "verbose_name", None) or field.related_model._meta.verbose_name_plural
    return str(label).capitalize()


@register.filter
def field_labels(record, names) -> str:
    """The labels of the named fields as a list in the active language ("a, b and c")."""
    labels = [field_label(record, name) for name in names]
    return format_list(labels, style="standard", locale=calendars.babel_locale()) if labels else ""


@register.filter
def event_label(kind: str) -> str:
    return EVENT_LABELS.get(kind, kind)
