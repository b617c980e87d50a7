"""Handing one stored message to the SMTP server, once.

The row is marked `sending` (one commit), the server is asked, and the row is marked
`sent` in its own commit right after the server accepted the message. A retried task
finds the row sent and does nothing. The only possible duplicate is a message whose
acceptance was not yet committed when the worker died (see docs/email.md)."""

import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from amity.customers.selectors import may_contact
from amity.events.services import publish
from amity.integrations.mail_headers import mailbox
from amity.integrations.models import OutboundEmail, OutboundStatus
from amity.integrations.smtp_settings import smtp_connection

logger = logging.getLogger("amity.mail")
ERROR_MAX = 2000
FINISHED = (OutboundStatus.SENT, OutboundStatus.CANCELLED)


class MailNotSent(Exception):
    """The SMTP server did not accept the message; the task is tried again later."""


def email_message(message: OutboundEmail, connection=None) -> EmailMultiAlternatives:
    """The MIME message for a stored row, carrying our Message-ID."""
    email = EmailMultiAlternatives(
        subject=message.subject, body=message.text_body,
        from_email=mailbox(message.from_name, message.from_address),
        to=[mailbox(message.to_name, message.to_address)],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={"Message-ID": message.message_id}, connection=connection)
    if message.html_body:
        email.attach_alternative(_html_document(message), "text/html")
    for attachment in message.attachments.all():
        email.attach(attachment.filename, bytes(attachment.data), attachment.content_type)
    return email


def _html_document(message: OutboundEmail) -> str:
    """The HTML part as a whole document in the message's language and direction, so
    mail clients lay Persian out right to left."""
    language = message.template_language or "en"
    try:
        bidi = translation.get_language_info(language)["bidi"]
    except KeyError:
        bidi = False
    return render_to_string("integrations/email_document.html",
                            {"language": language, "bidi": bidi, "body": message.html_body})


def email_message_plain(*, subject: str, body: str, sender, to: str,
                        connection=None) -> EmailMultiAlternatives:
    """A plain message from `sender` (a Sender) with no stored row, e.g. a test message."""
    return EmailMultiAlternatives(
        subject=subject, body=body, from_email=mailbox(sender.name, sender.address), to=[to],
        reply_to=[sender.reply_to] if sender.reply_to else None, connection=connection)


def _cancel_reason(message: OutboundEmail) -> str:
    """Why a queued message must not go out any more ("" if it may)."""
    if message.contact.deleted is not None:
        return "contact deleted before sending"
    if not may_contact(message.contact, "email"):
        return "consent withdrawn before sending"
    return ""


def _claim(message_id: int) -> OutboundEmail | None:
    """The row marked `sending` (attempt counted), or None if there is nothing to do."""
    with transaction.atomic():
        message = (OutboundEmail.objects.select_for_update(of=("self",))
                   .select_related("contact", "created_by")
                   .filter(pk=message_id).first())
        if message is None or message.status in FINISHED:
            return None
        reason = _cancel_reason(message)
        if reason:
            message.status, message.last_error = OutboundStatus.CANCELLED, reason
            message.save(update_fields=["status", "last_error"])
            return None
        message.status = OutboundStatus.SENDING
        message.attempts += 1
        message.save(update_fields=["status", "attempts"])
    return message


def _record_failure(message: OutboundEmail, exc: Exception) -> None:
    error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX]
    OutboundEmail.objects.filter(pk=message.pk).exclude(status__in=FINISHED).update(
        status=OutboundStatus.FAILED, last_error=error)
    logger.warning("Email %s to contact %s not sent (attempt %s): %s", message.pk,
                   message.contact_id, message.attempts, error)


def _record_sent(message: OutboundEmail) -> None:
    with transaction.atomic():
        message.status, message.sent_at, message.last_error = (
            OutboundStatus.SENT, timezone.now(), "")
        message.save(update_fields=["status", "sent_at", "last_error"])
        publish(subject=message.contact, kind="email.sent", actor=message.created_by,
                payload={"subject": message.subject, "message_id": message.message_id,
                         "email_id": message.pk, "to": message.to_address})


def deliver(message_id: int) -> str:
    """Send the stored message unless it was sent already; its status afterwards."""
    message = _claim(message_id)
    if message is None:
        status = OutboundEmail.objects.filter(pk=message_id).values_list("status", flat=True)
        return status.first() or "missing"
    try:
        email_message(message, connection=smtp_connection()).send(fail_silently=False)
    except Exception as exc:
        _record_failure(message, exc)
        raise MailNotSent(str(exc)) from exc
    _record_sent(message)
    return OutboundStatus.SENT


def delivery_gave_up(message_id: int) -> None:
    """Its task is dead (the tries ran out, some perhaps on workers that were lost): a
    message still queued, or left "sending" by a worker lost during its last try, is
    failed rather than left so for ever."""
    unfinished = OutboundEmail.objects.filter(pk=message_id)
    unfinished.filter(status=OutboundStatus.QUEUED).update(
        status=OutboundStatus.FAILED, last_error="Its tries ran out before it was sent.")
    unfinished.filter(status=OutboundStatus.SENDING).update(
        status=OutboundStatus.FAILED,
        last_error="The worker stopped while sending it, on its last try: the mail server "
                   "may have accepted it.")
