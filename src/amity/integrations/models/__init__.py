"""Integrations keep one module of models per channel; this package gathers them."""

from amity.integrations.models.sms import RecordedSms, SmsMessage, SmsStatus
from amity.integrations.models.tokens import ApiToken, hash_token
from amity.integrations.models.webhooks import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)

__all__ = ["ApiToken", "DeliveryStatus", "RecordedSms", "SmsMessage", "SmsStatus",
           "WebhookAttempt", "WebhookDelivery", "WebhookSubscription", "hash_token"]
