"""Text messages over the API: send one to a contact, read its status."""

import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from amity.api.crud import StrictSchema
from amity.api.errors import COMMON_ERRORS
from amity.customers.models import Contact
from amity.integrations.mail_api import Language, admin_only, versions_by_language
from amity.integrations.models import SmsMessage, SmsTemplate
from amity.integrations.sms import sms_send
from amity.integrations.sms_templates import sms_send_template, sms_template_save

router = Router(tags=["sms"])


class SmsIn(StrictSchema):
    contact_id: int
    body: str | None = Field(None, max_length=5000,
                             description="The text; or give template_id instead")
    template_id: int | None = Field(
        None, description="An SMS template, sent in the contact's language")
    idempotency_key: str | None = Field(
        None, max_length=100,
        description="Sending again with the same key returns the first message; "
                    "defaults to the Idempotency-Key header")


class SmsOut(Schema):
    id: int
    contact_id: int
    to: str
    body: str
    encoding: str
    segments: int
    status: str
    provider_id: str
    error: str
    idempotency_key: str
    created_at: datetime
    sent_at: datetime | None
    status_changed_at: datetime | None


@router.post("", response={201: SmsOut, **COMMON_ERRORS}, summary="Send a text message")
def send(request, payload: SmsIn):
    key = payload.idempotency_key or request.headers.get("Idempotency-Key") \
        or uuid.uuid4().hex
    if (payload.body is None) == (payload.template_id is None):
        raise ValidationError({"body": [_("Give the text or a template_id, not both.")]})
    if payload.template_id is None:
        message = sms_send(user=request.auth, contact=payload.contact_id, body=payload.body,
                           idempotency_key=key)
    else:
        template = SmsTemplate.objects.filter(pk=payload.template_id, archived=False).first()
        if template is None:
            raise ValidationError({"template_id": [_("Select a valid choice.")]})
        message = sms_send_template(user=request.auth, contact=payload.contact_id,
                                    template=template, idempotency_key=key)
    return Status(201, message)


@router.get("/{int:pk}", response={200: SmsOut, **COMMON_ERRORS},
            summary="One text message and its delivery status")
def get_message(request, pk: int):
    visible = Contact.objects.visible_to(request.auth).values("pk")
    return get_object_or_404(SmsMessage.objects.filter(contact__in=visible), pk=pk)


class SmsTemplateVersionIn(StrictSchema):
    language: Language
    body: str = Field(max_length=5000)


class SmsTemplateVersionOut(Schema):
    language: str
    body: str


class SmsTemplateIn(StrictSchema):
    name: str
    default_language: Language = "en"
    versions: list[SmsTemplateVersionIn]


class SmsTemplateOut(Schema):
    id: int
    name: str
    default_language: str
    archived: bool
    versions: list[SmsTemplateVersionOut]
    updated_at: datetime

    @staticmethod
    def resolve_versions(obj) -> list:
        return list(obj.versions.all())


@router.get("/templates", response={200: list[SmsTemplateOut], **COMMON_ERRORS},
            summary="List SMS templates", operation_id="sms_template_list")
def list_templates(request):
    return SmsTemplate.objects.filter(archived=False).prefetch_related("versions")


@router.post("/templates", response={201: SmsTemplateOut, **COMMON_ERRORS},
             summary="Create an SMS template", operation_id="sms_template_create")
def create_template(request, payload: SmsTemplateIn):
    """Administrators only. Errors name the version, e.g. versions.th.body, and the line."""
    template = sms_template_save(actor=admin_only(request), template=None, name=payload.name,
                                 default_language=payload.default_language,
                                 versions=versions_by_language(payload))
    return Status(201, template)


@router.put("/templates/{int:pk}", response={200: SmsTemplateOut, **COMMON_ERRORS},
            summary="Replace an SMS template", operation_id="sms_template_update")
def update_template(request, pk: int, payload: SmsTemplateIn):
    actor = admin_only(request)
    return sms_template_save(actor=actor, template=get_object_or_404(SmsTemplate, pk=pk),
                             name=payload.name, default_language=payload.default_language,
                             versions=versions_by_language(payload))
