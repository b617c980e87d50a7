"""Text messages over the API: send one to a contact, read its status."""

import uuid
from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from amity.api.crud import StrictSchema
from amity.api.errors import COMMON_ERRORS
from amity.customers.models import Contact
from amity.integrations.models import SmsMessage
from amity.integrations.sms import sms_send

router = Router(tags=["sms"])


class SmsIn(StrictSchema):
    contact_id: int
    body: str = Field(max_length=5000)
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
    message = sms_send(user=request.auth, contact=payload.contact_id, body=payload.body,
                       idempotency_key=key)
    return Status(201, message)


@router.get("/{int:pk}", response={200: SmsOut, **COMMON_ERRORS},
            summary="One text message and its delivery status")
def get_message(request, pk: int):
    visible = Contact.objects.visible_to(request.auth).values("pk")
    return get_object_or_404(SmsMessage.objects.filter(contact__in=visible), pk=pk)
