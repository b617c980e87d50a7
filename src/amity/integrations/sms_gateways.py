"""SMS gateways: one small interface, chosen by AMITY_SMS_BACKEND.

"development" (the default) records messages in the database (Admin -> SMS) and sends
nothing; "http" posts JSON to a provider through the SSRF-safe client; a dotted path
names any other class with the same `send`."""

import json
import uuid
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from amity.integrations import outbound_http
from amity.integrations.models import RecordedSms


class SmsSendError(Exception):
    """The gateway did not take the message; `permanent` when trying again cannot help."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class SmsGateway(Protocol):
    name: str

    def send(self, *, to: str, body: str, reference: str) -> str:
        """Hand one message to the provider; returns the provider's id for it.
        `reference` is ours and stable across retries, so a provider can drop a repeat."""


class DevelopmentGateway:
    name = "development"

    def send(self, *, to: str, body: str, reference: str) -> str:
        recorded, _created = RecordedSms.objects.get_or_create(
            reference=reference,
            defaults={"to": to, "body": body, "provider_id": f"dev-{uuid.uuid4().hex}"})
        return recorded.provider_id


class HttpGateway:
    """A generic JSON-over-HTTPS provider:
    POST {"from", "to", "text", "reference"} with the API key in a header; the answer is
    2xx {"id": "..."}. 4xx is a refusal (not retried); 5xx and timeouts are retried."""

    name = "http"

    def send(self, *, to: str, body: str, reference: str) -> str:
        if not settings.AMITY_SMS_HTTP_URL:
            raise SmsSendError("AMITY_SMS_HTTP_URL is not set", permanent=True)
        payload = json.dumps({"from": settings.AMITY_SMS_SENDER_ID, "to": to, "text": body,
                              "reference": reference}, ensure_ascii=False).encode()
        headers = {settings.AMITY_SMS_HTTP_API_KEY_HEADER: settings.AMITY_SMS_HTTP_API_KEY}
        outcome = outbound_http.post(settings.AMITY_SMS_HTTP_URL, payload, headers,
                                     allow_private=settings.AMITY_SMS_HTTP_ALLOW_PRIVATE)
        if outcome.ok:
            return _provider_id(outcome.body)
        permanent = outcome.refused or (
            outcome.status is not None and 400 <= outcome.status < 500
            and outcome.status not in (408, 429))
        reason = outcome.error or f"provider answered {outcome.status}: {outcome.body[:200]}"
        raise SmsSendError(reason, permanent=permanent)


def _provider_id(answer: str) -> str:
    try:
        provider_id = json.loads(answer).get("id")
    except (ValueError, AttributeError):
        provider_id = None
    if not isinstance(provider_id, str | int) or not str(provider_id).strip() \
            or len(str(provider_id)) > 100:
        # It may have been accepted: retrying could send it twice, so do not.
        raise SmsSendError(f"provider answered without a usable id: {answer[:200]}",
                           permanent=True)
    return str(provider_id).strip()


BACKENDS = {"development": DevelopmentGateway, "http": HttpGateway}


def sms_gateway() -> SmsGateway:
    """The gateway the settings choose."""
    backend = settings.AMITY_SMS_BACKEND
    return (BACKENDS.get(backend) or import_string(backend))()
