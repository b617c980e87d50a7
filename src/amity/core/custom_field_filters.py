"""List filters on custom values, added to a record's FilterSet (so the UI list, the API
list and exports take them): `custom.<key>=value` for text, choice, boolean and date;
any of several values for multi-choice; `custom.<key>.min` / `.max` for number and date.

Values are read with JSON key transforms; dates compare as ISO strings and numbers are
cast from their decimal strings, which SQLite and PostgreSQL do alike. Equality and
any-of filters are JSON containment on PostgreSQL, which its GIN index on the custom
values answers (customers migration 0014)."""

from collections.abc import Callable

import django_filters as filters
from django import forms
from django.db import connections
from django.db.models import BooleanField, CharField, DecimalField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from amity.core.custom_fields import CustomField, FieldType, active_fields, error_key

Method = Callable[[QuerySet, str, object], QuerySet]


def _on_postgres(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def _equals(key: str) -> Method:
    def apply(queryset, name, value):
        if value in (None, ""):
            return queryset
        value = value.isoformat() if hasattr(value, "isoformat") else value
        if _on_postgres(queryset):
            return queryset.filter(custom__contains={key: value})
        return queryset.filter(**{f"custom__{key}": value})
    return apply


def _date_bound(key: str, lookup: str) -> Method:
    def apply(queryset, name, value):
        if value is None:
            return queryset
        # Cast: KT's own lookups would compare JSON values, not ISO strings.
        text = Cast(KT(f"custom__{key}"), CharField())
        return queryset.alias(**{f"_{key}_text": text}).filter(
            **{f"_{key}_text__{lookup}": value.isoformat()})
    return apply


def _number_bound(key: str, lookup: str) -> Method:
    def apply(queryset, name, value):
        if value is None:
            return queryset
        number = Cast(KT(f"custom__{key}"), DecimalField(max_digits=30, decimal_places=6))
        return queryset.alias(**{f"_{key}_number": number}).filter(
            **{f"_{key}_number__isnull": False, f"_{key}_number__{lookup}": value})
    return apply


def _any_of(key: str) -> Method:
    """Records whose list holds at least one of the values."""
    def apply(queryset, name, values):
        if not values:
            return queryset
        if _on_postgres(queryset):
            matches = Q()
            for value in values:
                matches |= Q(custom__contains={key: [value]})
            return queryset.filter(matches)
        table = queryset.model._meta.db_table
        marks = ", ".join(["%s"] * len(values))
        sql = (f'EXISTS (SELECT 1 FROM json_each("{table}".custom, %s) '  # noqa: S608 - constants
               f"WHERE value IN ({marks}))")
        # The key is a slug (validate_key) and goes in as a parameter, like the values.
        return queryset.filter(Q(RawSQL(sql, [f"$.{key}", *values],  # noqa: S611
                                        output_field=BooleanField())))
    return apply


def _hidden() -> forms.HiddenInput:
    # Offered by URL and API; the list page shows inputs for choices and yes/no only.
    return forms.HiddenInput()


def field_filters(field: CustomField) -> dict[str, filters.Filter]:
    """The filters of one custom field, by query parameter name."""
    name, key, label = error_key(field.key), field.key, field.label
    choices = [(c["value"], c["label"]) for c in field.choices]
    if field.type == FieldType.CHOICE:
        return {name: filters.ChoiceFilter(label=label, choices=choices, method=_equals(key))}
    if field.type == FieldType.MULTI_CHOICE:
        return {name: filters.MultipleChoiceFilter(label=label, choices=choices,
                                                   method=_any_of(key))}
    if field.type == FieldType.BOOLEAN:
        return {name: filters.BooleanFilter(label=label, method=_equals(key))}
    if field.type == FieldType.TEXT:
        return {name: filters.CharFilter(label=label, method=_equals(key), max_length=1000,
                                         widget=_hidden())}
    if field.type == FieldType.DATE:
        return {
            name: filters.DateFilter(label=label, method=_equals(key), widget=_hidden()),
            f"{name}.min": filters.DateFilter(label=_("%(field)s from") % {"field": label},
                                              method=_date_bound(key, "gte"), widget=_hidden()),
            f"{name}.max": filters.DateFilter(label=_("%(field)s until") % {"field": label},
                                              method=_date_bound(key, "lte"), widget=_hidden()),
        }
    if field.type == FieldType.NUMBER:
        return {
            f"{name}.min": filters.NumberFilter(label=_("%(field)s at least") % {"field": label},
                                                method=_number_bound(key, "gte"),
                                                widget=_hidden()),
            f"{name}.max": filters.NumberFilter(label=_("%(field)s at most") % {"field": label},
                                                method=_number_bound(key, "lte"),
                                                widget=_hidden()),
        }
    return {}


class CustomFilterMixin:
    """Adds the filters of the model's active custom fields to a FilterSet."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        if any(f.name == "custom" for f in model._meta.concrete_fields):
            for field in active_fields(model.kind_key()):
                self.filters.update(field_filters(field))
