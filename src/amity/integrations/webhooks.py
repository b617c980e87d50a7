"""Webhooks out: subscriptions, one delivery per matching event, signed attempts with
retries, and `webhook_call` for automation's "call a webhook" action.

Every attempt goes through outbound_http (the SSRF guard) and is logged; a delivery
that fails is retried by the worker with exponential backoff (core.jobs)."""

import json
import re
import secrets
import time
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amity.events.models import Event
from amity.integrations import outbound_http
from amity.integrations.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from amity.integrations.models.webhooks import SECRET_PREFIX
from amity.integrations.signatures import HEADER as SIGNATURE_HEADER
from amity.integrations.signatures import signature_header

MAX_ATTEMPTS = 8  # with 30 s doubling: the last try is about two hours after the first
BACKOFF_SECONDS = 30
MAX_EVENT_KINDS = 100
MAX_PAYLOAD_BYTES = 256 * 1024
DELIVERY_HEADER = "Amity-Delivery"
EVENT_HEADER = "Amity-Event"
CALL_KIND = "webhook.call"
_KIND = re.compile(r"^[\w.:-]{1,64}$")


class WebhookAttemptFailed(Exception):
    """One attempt failed and another will follow (raised so the worker retries)."""


def _admin(actor) -> None:
    if actor is None or not actor.is_administrator:
        raise PermissionDenied


# --- subscriptions -------------------------------------------------------------------

def _clean_kinds(kinds: Any) -> list[str]:
    if isinstance(kinds, str):
        kinds = [k for k in re.split(r"[\s,]+", kinds) if k]
    if not isinstance(kinds, list | tuple) or len(kinds) > MAX_EVENT_KINDS:
        raise ValidationError({"event_kinds": [
            _("Give at most %(n)s event kinds, or none for all.") % {"n": MAX_EVENT_KINDS}]})
    bad = [str(k)[:70] for k in kinds if not isinstance(k, str) or not _KIND.match(k)]
    if bad:
        raise ValidationError({"event_kinds": [
            _("Not an event kind: %(kinds)s. Kinds are words like contact.created or "
              "sms.sent.") % {"kinds": ", ".join(bad)}]})
    return sorted(set(kinds))


def subscription_save(*, actor, subscription: WebhookSubscription,
                      data: dict[str, Any]) -> tuple[WebhookSubscription, str | None]:
    """Create or change a subscription (administrators only). A new one gets a signing
    secret, returned once as the second value (None when changing)."""
    _admin(actor)
    name = str(data.get("name", subscription.name) or "").strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": [_("Give the webhook a name of at most 100 "
                                          "characters.")]})
    allow_private = bool(data.get("allow_private_network",
                                  subscription.allow_private_network))
    url = outbound_http.target_url_clean(str(data.get("url", subscription.url) or ""),
                                         allow_private=allow_private)
    kinds = _clean_kinds(data.get("event_kinds", subscription.event_kinds))
    subscription.name, subscription.url, subscription.event_kinds = name, url, kinds
    subscription.allow_private_network = allow_private
    subscription.is_active = bool(data.get("is_active", subscription.is_active))
    raw = None
    if subscription.pk is None:
        raw = subscription.secret = _new_secret()
        subscription.created_by = actor
    subscription.save()
    transaction.on_commit(forget_subscriptions)
    forget_subscriptions()
    return subscription, raw


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def subscription_rotate_secret(*, actor, subscription: WebhookSubscription) -> str:
    """Give the subscription a new signing secret and return it (shown once)."""
    _admin(actor)
    subscription.secret = _new_secret()
    subscription.save(update_fields=["secret", "updated_at"])
    return subscription.secret


def subscription_delete(*, actor, subscription: WebhookSubscription) -> None:
    """Remove a subscription and its delivery log."""
    _admin(actor)
    subscription.delete()
    transaction.on_commit(forget_subscriptions)
    forget_subscriptions()


# --- fan-out of events ---------------------------------------------------------------
# Most events match no subscription: a per-process memo of the kinds wanted answers that
# without a query. A change here clears it at once; other processes see it within
# WANTED_TTL seconds.

WANTED_TTL = 10.0
ALL_KINDS = "*"
_wanted: tuple[float, frozenset[str]] | None = None


def forget_subscriptions() -> None:
    global _wanted
    _wanted = None


def _wanted_kinds() -> frozenset[str]:
    global _wanted
    now = time.monotonic()
    if _wanted is None or _wanted[0] < now:
        kinds: set[str] = set()
        for wanted in WebhookSubscription.objects.filter(is_active=True).values_list(
                "event_kinds", flat=True):
            kinds.update(wanted or [ALL_KINDS])
        _wanted = (now + WANTED_TTL, frozenset(kinds))
    return _wanted[1]


def on_event(event: Event) -> None:
    """Subscriber of the event stream: a delivery per matching active subscription."""
    wanted = _wanted_kinds()
    if ALL_KINDS not in wanted and event.kind not in wanted:
        return
    for subscription in WebhookSubscription.objects.filter(is_active=True):
        if subscription.wants(event.kind):
            _queue(WebhookDelivery(
                subscription=subscription, event_id=event.pk, kind=event.kind,
                subject_type_id=event.subject_type_id, subject_id=event.subject_id,
                body=_json(_event_body(event))))


def _event_body(event: Event) -> dict[str, Any]:
    subject_type = ContentType.objects.get_for_id(event.subject_type_id)
    return {
        "event_id": event.pk, "kind": event.kind, "occurred_at": event.occurred_at,
        "subject": {"kind": f"{subject_type.app_label}.{subject_type.model}",
                    "id": event.subject_id},
        "payload": event.payload,
    }


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def _queue(delivery: WebhookDelivery) -> WebhookDelivery:
    from amity.integrations.webhook_tasks import deliver_webhook

    with transaction.atomic():
        delivery.save()
        deliver_webhook.enqueue(delivery.pk)
    return delivery


# --- automation's "call a webhook" ----------------------------------------------------

def webhook_call(*, url: str, payload: dict, secret: str | None,
                 reason_subject: models.Model | None = None,
                 allow_private: bool = False) -> WebhookDelivery:
    """Queue a signed POST of `payload` to `url` (the same guard, log and retries as
    subscriptions). `allow_private` must only come from an administrator's setting."""
    url = outbound_http.target_url_clean(url, allow_private=allow_private)
    if not isinstance(payload, dict):
        raise ValidationError({"payload": [_("The payload must be a JSON object.")]})
    subject = None
    if reason_subject is not None:
        subject_type = ContentType.objects.get_for_model(reason_subject)
        subject = {"kind": f"{subject_type.app_label}.{subject_type.model}",
                   "id": reason_subject.pk}
    try:
        body = _json({"kind": CALL_KIND, "occurred_at": timezone.now(), "subject": subject,
                      "payload": payload})
    except (TypeError, ValueError) as exc:
        raise ValidationError({"payload": [_("The payload cannot be sent as JSON.")]}) from exc
    if len(body.encode()) > MAX_PAYLOAD_BYTES:
        raise ValidationError({"payload": [_("The payload is too large: at most %(n)s KiB.")
                                           % {"n": MAX_PAYLOAD_BYTES // 1024}]})
    return _queue(WebhookDelivery(
        url=url, secret=secret or "", allow_private_network=allow_private, kind=CALL_KIND,
        subject_type=subject_type if subject else None,
        subject_id=reason_subject.pk if subject else None, body=body))


# --- attempts -------------------------------------------------------------------------

def delivery_attempt(*, delivery_id: int) -> str:
    """Try one delivery once and log it; returns the new status. Raises
    WebhookAttemptFailed when the attempt failed and another will follow."""
    delivery = WebhookDelivery.objects.select_related("subscription").filter(
        pk=delivery_id).first()
    if delivery is None or delivery.status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED):
        return delivery.status if delivery else ""
    subscription = delivery.subscription
    started = timezone.now()
    if subscription is not None and not subscription.is_active:
        outcome = outbound_http.HttpOutcome(error="the subscription is paused", refused=True)
    else:
        outcome = _send(delivery)
    number = delivery.attempts + 1
    if outcome.ok:
        status = DeliveryStatus.DELIVERED
    elif outcome.refused or number >= MAX_ATTEMPTS:
        status = DeliveryStatus.FAILED
    else:
        status = DeliveryStatus.RETRYING
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery, number=number, started_at=started,
            duration_ms=outcome.duration_ms, status_code=outcome.status,
            response_excerpt=outcome.body, error=outcome.error or _status_error(outcome))
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            attempts=number, status=status,
            delivered_at=timezone.now() if status == DeliveryStatus.DELIVERED else None)
    if status == DeliveryStatus.RETRYING:
        raise WebhookAttemptFailed(f"delivery {delivery.uuid} attempt {number}: "
                                   f"{outcome.error or outcome.status}")
    return status


def delivery_gave_up(delivery_id: int) -> None:
    """Its task is dead (the tries ran out, some perhaps on workers that were lost): the
    delivery is failed rather than left "retrying" for ever."""
    WebhookDelivery.objects.filter(
        pk=delivery_id, status__in=(DeliveryStatus.PENDING, DeliveryStatus.RETRYING),
    ).update(status=DeliveryStatus.FAILED)


def _status_error(outcome: outbound_http.HttpOutcome) -> str:
    return "" if outcome.ok else f"answered {outcome.status}"


def _send(delivery: WebhookDelivery) -> outbound_http.HttpOutcome:
    subscription = delivery.subscription
    secret = subscription.secret if subscription else delivery.secret
    body = delivery.body.encode()
    headers = {DELIVERY_HEADER: str(delivery.uuid), EVENT_HEADER: delivery.kind}
    if secret:
        headers[SIGNATURE_HEADER] = signature_header(secret, body)
    allow_private = (subscription.allow_private_network if subscription
                     else delivery.allow_private_network)
    return outbound_http.post(subscription.url if subscription else delivery.url, body,
                              headers, allow_private=allow_private)


def delivery_redeliver(*, actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery's body again as a new delivery (new id, fresh tries)."""
    _admin(actor)
    return _queue(WebhookDelivery(
        subscription=delivery.subscription, url=delivery.url, secret=delivery.secret,
        allow_private_network=delivery.allow_private_network, event_id=delivery.event_id,
        kind=delivery.kind, subject_type_id=delivery.subject_type_id,
        subject_id=delivery.subject_id, body=delivery.body))
