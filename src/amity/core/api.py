"""API: the custom field definitions of a kind of record, so clients can discover them."""

from django.http import Http404
from ninja import Router, Schema

from amity.api.errors import COMMON_ERRORS
from amity.core.access import grant_for
from amity.core.custom_fields import CustomField, custom_kinds

router = Router(tags=["custom fields"])


class ChoiceOut(Schema):
    value: str
    label: str


class CustomFieldOut(Schema):
    key: str
    label: str
    type: str
    choices: list[ChoiceOut]
    required: bool
    help_text: str
    position: int


@router.get("/{kind}", response={200: list[CustomFieldOut], **COMMON_ERRORS},
            summary="Custom fields of a kind of record", operation_id="custom_field_list")
def list_custom_fields(request, kind: str):
    """The active custom fields of `kind` (e.g. customers.contact), in form order. Their
    values are read and written as the record's `custom` object, keyed by `key`."""
    if kind not in {k.key for k in custom_kinds()} \
            or grant_for(request.auth, kind).view_scope == "none":
        raise Http404
    return CustomField.objects.filter(record_kind=kind, archived=False)

