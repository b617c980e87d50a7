"""Integrations keep one module of models per channel; this package gathers them."""

from amity.integrations.models.mail_in import (
    InboundAttachment,
    InboundMessage,
    Mailbox,
    MailThread,
    RejectedMessage,
    ThreadMessageId,
)
from amity.integrations.models.sms import RecordedSms, SmsMessage, SmsStatus
from amity.integrations.models.tokens import ApiToken, hash_token
from amity.integrations.models.webhooks import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)

__all__ = ["ApiToken", "DeliveryStatus", "InboundAttachment", "InboundMessage", "MailThread",
           "Mailbox", "RecordedSms", "RejectedMessage", "SmsMessage", "SmsStatus",
           "ThreadMessageId", "WebhookAttempt", "WebhookDelivery", "WebhookSubscription",
           "hash_token"]
