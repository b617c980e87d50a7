"""Storing inbound mail, whether polled over IMAP or posted by a provider: parsed,
threaded, matched to contacts, logged on their timelines, attachments checked."""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse

from amity.customers.models import Contact, ContactEmail, contact_email
from amity.events.services import publish
from amity.integrations.attachment_types import attachment_type_check
from amity.integrations.mail_parsing import (
    Attachment,
    ParsedMessage,
    UnreadableMessage,
    clean_text,
    mail_parse,
)
from amity.integrations.mail_reasons import FILE_TOO_LARGE, MESSAGE_TOO_LARGE, Reason
from amity.integrations.mail_threads import mail_thread_register
from amity.integrations.models import (
    InboundAttachment,
    InboundMessage,
    Mailbox,
    RejectedMessage,
)
from amity.integrations.models.mail_in import Source, attachment_path

logger = logging.getLogger("amity.mail_in")
EVENT_KIND = "email.received"


# Called with (message=, mailbox=, contacts=) for each message stored, inside its
# transaction; other apps add theirs (sales turns unknown senders into leads).
_received_hooks: list = []


def on_mail_stored(hook):
    """Call `hook(message=, mailbox=, contacts=)` for every message stored from now on."""
    if hook not in _received_hooks:
        _received_hooks.append(hook)
    return hook


@dataclass
class StoreResult:
    message: InboundMessage | None = None
    created: bool = False
    rejected: RejectedMessage | None = None


def message_too_large(size: int) -> Reason | None:
    """Why a message of `size` bytes is refused, or None."""
    limit = settings.MAIL_IN_MAX_MESSAGE_BYTES
    return Reason(MESSAGE_TOO_LARGE, {"size": size, "limit": limit}) if size > limit else None


def inbound_reject(*, mailbox: Mailbox, reason: Reason, source: str, raw: bytes = b"",
                   raw_size: int | None = None, imap_uid: int | None = None,
                   parsed: ParsedMessage | None = None) -> RejectedMessage:
    """Record a message that could not be stored, with the reason, for the admin page."""
    logger.warning("Mailbox %s: message rejected (uid %s): %s", mailbox.pk, imap_uid, reason)
    return RejectedMessage.objects.create(
        mailbox=mailbox, source=source, imap_uid=imap_uid, uid_validity=mailbox.uid_validity,
        raw_size=len(raw) if raw_size is None else raw_size, reason=reason.template,
        reason_args={k: clean_text(str(v))[:1000] for k, v in reason.args.items()},
        message_id=parsed.message_id if parsed else "",
        from_address=parsed.from_address if parsed else "",
        subject=parsed.subject if parsed else "")


def inbound_store(raw: bytes, *, mailbox: Mailbox, source: str = Source.IMAP,
                  imap_uid: int | None = None) -> StoreResult:
    """Store the raw RFC 822 message for `mailbox` once (by Message-ID), or record why
    it was rejected. Unexpected errors propagate; the poller records them."""
    if reason := message_too_large(len(raw)):
        return StoreResult(rejected=inbound_reject(mailbox=mailbox, reason=reason,
                                                   source=source, raw=raw, imap_uid=imap_uid))
    try:
        parsed = mail_parse(raw)
    except UnreadableMessage as exc:
        return StoreResult(rejected=inbound_reject(mailbox=mailbox, reason=exc.reason,
                                                   source=source, raw=raw, imap_uid=imap_uid))
    existing = InboundMessage.objects.filter(mailbox=mailbox,
                                             message_id=parsed.message_id).first()
    if existing is not None:
        return StoreResult(message=existing)
    try:
        with transaction.atomic():
            message = _create(parsed, mailbox=mailbox, source=source, imap_uid=imap_uid)
    except IntegrityError:  # stored meanwhile by another poller or the webhook
        existing = InboundMessage.objects.filter(mailbox=mailbox,
                                                 message_id=parsed.message_id).first()
        if existing is None:
            raise
        return StoreResult(message=existing)
    return StoreResult(message=message, created=True)


def _create(parsed: ParsedMessage, *, mailbox: Mailbox, source: str,
            imap_uid: int | None) -> InboundMessage:
    thread = mail_thread_register(message_id=parsed.message_id,
                                  references=parsed.thread_ids(), subject=parsed.subject)
    message = InboundMessage.objects.create(
        mailbox=mailbox, source=source, message_id=parsed.message_id,
        in_reply_to=parsed.in_reply_to, references=" ".join(parsed.references),
        thread=thread, from_address=parsed.from_address, from_name=parsed.from_name,
        to=parsed.to, cc=parsed.cc, subject=parsed.subject, sent_at=parsed.sent_at,
        text_body=parsed.text_body, html_body=parsed.html_body, raw_size=parsed.raw_size,
        imap_uid=imap_uid, problems=parsed.problems)
    _store_attachments(message, parsed.attachments)
    contacts = contacts_for(parsed.addresses())
    message.contacts.set(contacts)
    url = reverse("inbound_message", args=[message.pk])
    for contact in contacts:
        publish(subject=contact, kind=EVENT_KIND, payload={
            "title": message.subject, "url": url, "from": message.from_address,
            "message": message.pk, "thread": thread.pk})
    for hook in _received_hooks:
        hook(message=message, mailbox=mailbox, contacts=contacts)
    return message


def stored_address(address: str) -> str:
    """An address as contacts store theirs (normalised, lowercased), to compare with
    them; lowercased as written if it is not a valid address."""
    try:
        return contact_email(address)
    except ValidationError:
        return address.strip().lower()


def contacts_for(addresses: set[str]) -> list[Contact]:
    """The contacts whose primary or other email is one of `addresses` (compared as
    stored: normalised and lowercased)."""
    wanted = {stored_address(a) for a in addresses if a}
    if not wanted:
        return []
    other = ContactEmail.objects.filter(email__in=wanted).values("contact_id")
    return list(Contact.objects.filter(email__in=wanted).union(
        Contact.objects.filter(pk__in=other)).order_by("pk"))


def _store_attachments(message: InboundMessage, attachments: list[Attachment]) -> None:
    limit = settings.MAIL_IN_MAX_ATTACHMENT_BYTES
    for item in attachments:
        row = InboundAttachment(
            message=message, filename=item.filename, declared_type=item.declared_type[:255],
            size=len(item.data), sha256=hashlib.sha256(item.data).hexdigest())
        refused = Reason(FILE_TOO_LARGE, {"size": row.size, "limit": limit})
        if row.size <= limit:
            check = attachment_type_check(item.declared_type, item.data)
            row.content_type, refused = check.content_type, check.refused
        if refused is not None:
            row.refused_reason = refused.template
            row.refused_args = {k: clean_text(str(v))[:255] for k, v in refused.args.items()}
        else:
            row.file.name = _save_file(row, item.data)
        row.save()


def _save_file(row: InboundAttachment, data: bytes) -> str:
    # Named by content hash: the same file (a retried poll, a forwarded copy) is stored
    # once, and a rolled-back store leaves nothing that a retry would not reuse.
    name = attachment_path(row, row.filename)
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(data))
