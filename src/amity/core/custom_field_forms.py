"""Forms for custom fields: the administrator's definition form, and the inputs a record
form gains for the active custom fields of its kind."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.core.custom_fields import (
    CHOICE_TYPES,
    CustomField,
    FieldType,
    active_fields,
    clean_custom,
    custom_kinds,
    error_key,
    validate_key,
)

CURRENCY_HELP = gettext_lazy("Amount, then the ISO currency code, e.g. 1500 THB")


class CustomFieldForm(forms.ModelForm):
    """An administrator's definition; choices are typed one per line ("value | label",
    or just a label, which is then also the stored value)."""

    choices_text = forms.CharField(
        label=gettext_lazy("Choices"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("For choice fields: one per line. Write “value | label” to keep "
                               "a stored value while changing its label."))

    class Meta:
        model = CustomField
        fields = ["record_kind", "label", "key", "type", "required", "help_text", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [(kind.key, str(kind.model._meta.verbose_name).capitalize())
                 for kind in custom_kinds()]
        self.fields["record_kind"] = forms.ChoiceField(label=_("Kind of record"), choices=kinds)
        self.fields["choices_text"].initial = "\n".join(
            c["label"] if c["label"] == c["value"] else f"{c['value']} | {c['label']}"
            for c in self.instance.choices)
        if self.instance.pk:
            # Stored values depend on these: shown, not editable.
            for name in ("record_kind", "key", "type"):
                self.fields[name].disabled = True

    def clean_key(self) -> str:
        key = self.cleaned_data["key"]
        validate_key(key)
        return key

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["choices"] = []
        if data.get("type") in CHOICE_TYPES:
            data["choices"] = [_choice_line(line) for line in
                               data.get("choices_text", "").splitlines() if line.strip()]
        data.pop("choices_text", None)
        return data

    def changes(self) -> dict[str, Any]:
        """The values to save: every input except those fixed once the field exists."""
        names = [n for n in self._meta.fields if not self.fields[n].disabled]
        return {name: self.cleaned_data[name] for name in (*names, "choices")}

    def _post_clean(self) -> None:
        # The service validates and saves (see custom_field_save).
        pass


def _choice_line(line: str) -> dict[str, str]:
    value, bar, label = line.partition("|")
    return {"value": value.strip(), "label": label.strip()} if bar else \
        {"value": line.strip(), "label": line.strip()}


def _form_field(field: CustomField) -> forms.Field:
    common = {"label": field.label, "required": field.required, "help_text": field.help_text}
    choices = [(c["value"], c["label"]) for c in field.choices]
    if field.type == FieldType.TEXT:
        return forms.CharField(max_length=1000, **common)
    if field.type == FieldType.NUMBER:
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    if field.type == FieldType.MONEY:
        return MoneyField(**{**common, "help_text": field.help_text or CURRENCY_HELP})
    if field.type == FieldType.DATE:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if field.type == FieldType.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *choices], **common)
    if field.type == FieldType.MULTI_CHOICE:
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple,
                                         **common)
    return forms.NullBooleanField(widget=YesNoSelect, **{**common, "required": False})


class YesNoSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "—"), ("true", _("Yes")), ("false", _("No"))]


class MoneyWidget(forms.MultiWidget):
    def __init__(self):
        super().__init__([forms.TextInput(attrs={"inputmode": "decimal", "size": 12}),
                          forms.TextInput(attrs={"size": 4, "maxlength": 3})])

    def decompress(self, value):
        return [value.get("amount"), value.get("currency")] if isinstance(value, dict) \
            else [None, None]


class MoneyField(forms.MultiValueField):
    widget = MoneyWidget

    def __init__(self, **kwargs):
        super().__init__(fields=(forms.CharField(), forms.CharField()), require_all_fields=False,
                         **kwargs)

    def compress(self, data_list) -> dict | None:
        if not data_list or not any(data_list):
            return None
        return {"amount": data_list[0] or None, "currency": data_list[1] or ""}


class CustomValuesMixin:
    """Adds an input per active custom field of the form's kind, named "custom.<key>", and
    puts their values, checked by clean_custom, in cleaned_data["custom"]."""

    def add_custom_fields(self) -> None:
        self.custom_fields = active_fields(self._meta.model.kind_key())
        stored = self.instance.custom or {}
        for field in self.custom_fields:
            name = error_key(field.key)
            self.fields[name] = _form_field(field)
            if field.key in stored:
                self.initial[name] = stored[field.key]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # An input its form field already refused (a required one left empty) is left out.
        values = {f.key: data.pop(error_key(f.key)) for f in self.custom_fields
                  if error_key(f.key) in data}
        try:
            data["custom"] = clean_custom(self._meta.model.kind_key(), values, partial=True,
                                          fields=self.custom_fields)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        return data

    @property
    def changed_data(self) -> list[str]:
        """The changed inputs, with the custom ones reported as the one field "custom"."""
        names = super().changed_data
        plain = [name for name in names if not name.startswith("custom.")]
        return plain + (["custom"] if len(plain) < len(names) else [])
