"""Django's SMTP backend, plus SMTPUTF8 (RFC 6531): an address with non-Latin letters
before the @ (สมชาย@ตัวอย่าง.ไทย, 用户@例子.广告) goes out as written, in the envelope and
the headers, to a server that announces SMTPUTF8. Django alone would turn such a local
part into an RFC 2047 encoded word, which names another mailbox. Mail whose addresses are
all ASCII before the @ takes Django's own path unchanged."""

import smtplib
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage as MimeMessage

from django.core.mail import EmailMessage
from django.core.mail.backends import smtp

SMTP_BACKEND = "amity.integrations.smtp_backend.EmailBackend"


class SmtpUtf8Missing(smtplib.SMTPNotSupportedError):
    """The server cannot take an internationalised address."""


class EmailBackend(smtp.EmailBackend):
    def _send(self, email_message: EmailMessage) -> bool:
        addresses = [email_message.from_email, *email_message.recipients()]
        ascii_local = all(_addr_spec(a).rpartition("@")[0].isascii() for a in addresses)
        if ascii_local or not email_message.recipients():
            return super()._send(email_message)  # a Unicode domain Django sends as punycode
        self.connection.ehlo_or_helo_if_needed()
        if not self.connection.has_extn("smtputf8"):
            raise SmtpUtf8Missing(
                "The mail server does not accept addresses with non-Latin letters before "
                "the @ (it does not announce SMTPUTF8).")
        self.connection.sendmail(
            _addr_spec(email_message.from_email),
            [_addr_spec(address) for address in email_message.recipients()],
            _utf8_bytes(email_message), mail_options=["SMTPUTF8"])
        return True


def _addr_spec(address: str) -> str:
    """`local@domain` of "Name <local@domain>", as written (the local part never
    encoded, the domain left for the server: SMTPUTF8 allows Unicode domains)."""
    parsed = MimeMessage(policy=policy.SMTPUTF8)
    parsed["To"] = address
    mailbox: Address = parsed["To"].addresses[0]
    return mailbox.addr_spec


def _utf8_bytes(email_message: EmailMessage) -> bytes:
    """Django's message with its address headers as UTF-8 text instead of encoded words."""
    message = message_from_bytes(email_message.message().as_bytes(linesep="\r\n"),
                                 policy=policy.SMTPUTF8)
    for header, values in (("From", [email_message.from_email]), ("To", email_message.to),
                           ("Cc", email_message.cc), ("Reply-To", email_message.reply_to)):
        if values:
            del message[header]
            message[header] = ", ".join(values)
    return message.as_bytes()
