"""Integrations keep one module of models per channel; this package gathers them."""

from amity.integrations.models.mail_out import (
    EmailTemplate,
    EmailTemplateVersion,
    OutboundEmail,
    OutboundStatus,
    SenderIdentity,
    SmtpSecurity,
    SmtpSettings,
)
from amity.integrations.models.tokens import ApiToken, hash_token

__all__ = ["ApiToken", "EmailTemplate", "EmailTemplateVersion", "OutboundEmail",
           "OutboundStatus", "SenderIdentity", "SmtpSecurity", "SmtpSettings", "hash_token"]
