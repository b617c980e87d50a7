"""Integrations keep one module of models per channel; this package gathers them."""

from amity.integrations.models.mail_in import (
    InboundAttachment,
    InboundMessage,
    Mailbox,
    MailThread,
    RejectedMessage,
    ThreadMessageId,
)
from amity.integrations.models.tokens import ApiToken, hash_token

__all__ = ["ApiToken", "InboundAttachment", "InboundMessage", "MailThread", "Mailbox",
           "RejectedMessage", "ThreadMessageId", "hash_token"]
