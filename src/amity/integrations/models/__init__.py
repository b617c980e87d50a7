"""Integrations keep one module of models per channel; this package gathers them."""

from amity.integrations.models.mail_attachments import OutboundAttachment
from amity.integrations.models.mail_in import (
    InboundAttachment,
    InboundMessage,
    Mailbox,
    MailThread,
    RejectedMessage,
    ThreadMessageId,
)
from amity.integrations.models.mail_out import (
    EmailTemplate,
    EmailTemplateVersion,
    OutboundEmail,
    OutboundStatus,
    SenderIdentity,
    SmtpSecurity,
    SmtpSettings,
)
from amity.integrations.models.sms import (
    RecordedSms,
    SmsMessage,
    SmsStatus,
    SmsTemplate,
    SmsTemplateVersion,
)
from amity.integrations.models.tokens import ApiToken, hash_token
from amity.integrations.models.webhooks import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)

__all__ = ["ApiToken", "DeliveryStatus", "EmailTemplate", "EmailTemplateVersion",
           "InboundAttachment", "InboundMessage", "MailThread", "Mailbox", "OutboundAttachment",
           "OutboundEmail",
           "OutboundStatus", "RecordedSms", "RejectedMessage", "SenderIdentity", "SmsMessage",
           "SmsStatus", "SmsTemplate", "SmsTemplateVersion", "SmtpSecurity", "SmtpSettings",
           "ThreadMessageId", "WebhookAttempt", "WebhookDelivery", "WebhookSubscription",
           "hash_token"]
