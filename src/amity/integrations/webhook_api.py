"""Webhook subscriptions and their delivery log over the API, for administrators.
Each endpoint is a thin call of integrations.webhooks."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from amity.api.crud import StrictSchema
from amity.api.errors import COMMON_ERRORS
from amity.integrations import webhooks
from amity.integrations.models import WebhookDelivery, WebhookSubscription

router = Router(tags=["webhooks"])


class WebhookIn(StrictSchema):
    name: str = Field(max_length=100)
    url: str = Field(max_length=2000)
    event_kinds: list[str] = Field(default_factory=list, description="Empty for every kind")
    is_active: bool = True
    allow_private_network: bool = False


class WebhookPatch(StrictSchema):
    name: str | None = Field(None, max_length=100)
    url: str | None = Field(None, max_length=2000)
    event_kinds: list[str] | None = None
    is_active: bool | None = None
    allow_private_network: bool | None = None


class WebhookOut(Schema):
    id: int
    name: str
    url: str
    event_kinds: list[str]
    is_active: bool
    allow_private_network: bool
    secret_prefix: str
    created_at: datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="The signing secret; shown only in this answer")


class SecretOut(Schema):
    secret: str


class AttemptOut(Schema):
    number: int
    started_at: datetime
    duration_ms: int
    status_code: int | None
    response_excerpt: str
    error: str


class DeliveryOut(Schema):
    id: int
    uuid: str
    kind: str
    event_id: int | None
    status: str
    attempts: int
    created_at: datetime
    delivered_at: datetime | None
    attempt_log: list[AttemptOut]

    @staticmethod
    def resolve_uuid(obj) -> str:
        return str(obj.uuid)

    @staticmethod
    def resolve_attempt_log(obj) -> list:
        return list(obj.attempt_log.all())


def _admin(request) -> None:
    if not request.auth.is_administrator:
        raise PermissionDenied


def _subscription(request, pk: int) -> WebhookSubscription:
    _admin(request)
    return get_object_or_404(WebhookSubscription, pk=pk)


@router.get("", response={200: list[WebhookOut], **COMMON_ERRORS},
            summary="List webhook subscriptions")
def list_webhooks(request):
    _admin(request)
    return list(WebhookSubscription.objects.all())


@router.post("", response={201: WebhookCreated, **COMMON_ERRORS},
             summary="Subscribe a URL to events")
def create_webhook(request, payload: WebhookIn):
    subscription, secret = webhooks.subscription_save(
        actor=request.auth, subscription=WebhookSubscription(), data=payload.model_dump())
    return Status(201, {**WebhookOut.from_orm(subscription).model_dump(), "secret": secret})


@router.get("/{int:pk}", response={200: WebhookOut, **COMMON_ERRORS},
            summary="One webhook subscription")
def get_webhook(request, pk: int):
    return _subscription(request, pk)


@router.patch("/{int:pk}", response={200: WebhookOut, **COMMON_ERRORS},
              summary="Change a webhook subscription")
def update_webhook(request, pk: int, payload: WebhookPatch):
    # A null is "leave as it is", like a missing field.
    data = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    subscription, _secret = webhooks.subscription_save(
        actor=request.auth, subscription=_subscription(request, pk), data=data)
    return subscription


@router.delete("/{int:pk}", response={204: None, **COMMON_ERRORS},
               summary="Remove a webhook subscription and its log")
def delete_webhook(request, pk: int):
    webhooks.subscription_delete(actor=request.auth, subscription=_subscription(request, pk))
    return Status(204, None)


@router.post("/{int:pk}/rotate-secret", response={200: SecretOut, **COMMON_ERRORS},
             summary="Replace the signing secret (the new one is shown once)")
def rotate_secret(request, pk: int):
    return {"secret": webhooks.subscription_rotate_secret(
        actor=request.auth, subscription=_subscription(request, pk))}


@router.get("/{int:pk}/deliveries", response={200: list[DeliveryOut], **COMMON_ERRORS},
            summary="The latest deliveries with each attempt")
def list_deliveries(request, pk: int):
    subscription = _subscription(request, pk)
    return list(subscription.deliveries.prefetch_related("attempt_log")[:50])


@router.post("/deliveries/{int:delivery_id}/redeliver",
             response={201: DeliveryOut, **COMMON_ERRORS}, summary="Send a delivery again")
def redeliver(request, delivery_id: int):
    _admin(request)
    delivery = get_object_or_404(WebhookDelivery, pk=delivery_id)
    return Status(201, webhooks.delivery_redeliver(actor=request.auth, delivery=delivery))
