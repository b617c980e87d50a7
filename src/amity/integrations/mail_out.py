"""Sending email to contacts: the services the UI, the API, automation and marketing call.

A message is rendered and stored as an OutboundEmail row, and its send task enqueued, in
one transaction; the task (integrations.tasks) does the SMTP work. The idempotency key
stored with the row makes a repeated call return the same message and send nothing new."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from amity.customers.models import Consent, ConsentStatus, Contact
from amity.customers.selectors import may_contact
from amity.integrations.email_templates import render_email
from amity.integrations.mail_headers import check_address, check_header, new_message_id
from amity.integrations.mail_threads import mail_thread_register
from amity.integrations.models import EmailTemplate, OutboundAttachment, OutboundEmail
from amity.integrations.models.mail_attachments import MAX_ATTACHMENT_BYTES
from amity.integrations.sender_identities import Sender, sender_for
from amity.integrations.template_context import template_variables
from amity.integrations.template_sandbox import EXTRA_NAME

CHANNEL = "email"
KEY_MAX = 300
BULK_CHUNK = 200
EXTRA_VALUE_MAX = 10_000


class NotSendable(ValidationError):
    """The contact may not be emailed (no consent in force, no address)."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


def _check_attachments(attachments: Iterable[Attachment]) -> list[Attachment]:
    attachments = list(attachments)
    if sum(len(a.data) for a in attachments) > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"attachments": [_("The attachments are too large to send.")]})
    for attachment in attachments:
        check_header("attachments", attachment.filename)
    return attachments


@dataclass
class BulkSendReport:
    queued: list[OutboundEmail] = field(default_factory=list)
    # (contact id, why it was skipped) for contacts without consent, address, or access
    skipped: list[tuple[int, str]] = field(default_factory=list)


def _check_key(key: str) -> str:
    key = (key or "").strip()
    if not key or len(key) > KEY_MAX:
        raise ValidationError({"idempotency_key": [
            _("Give an idempotency key of 1 to %(max)s characters.") % {"max": KEY_MAX}]})
    return key


def _check_extra(extra: dict[str, Any] | None) -> dict[str, Any]:
    """Values for {{ extra.name }}: plain text, numbers and yes/no only."""
    extra = dict(extra or {})
    for name, value in extra.items():
        if not isinstance(name, str) or not EXTRA_NAME.match(name):
            raise ValidationError({"extra_context": [_("%(name)s is not a valid name.")
                                                     % {"name": name}]})
        if not isinstance(value, str | int | float | Decimal | bool | type(None)) \
                or len(str(value)) > EXTRA_VALUE_MAX:
            raise ValidationError({"extra_context": [
                _("%(name)s must be text or a number of at most %(max)s characters.")
                % {"name": name, "max": EXTRA_VALUE_MAX}]})
    return extra


def _sendable_template(template: EmailTemplate) -> EmailTemplate:
    if template.archived:
        raise ValidationError({"template": [_("This template is archived.")]})
    return template


def _editable_contact(user, contact: Contact) -> Contact:
    """The contact as the user may change it; another team's contact does not exist."""
    visible = Contact.objects.visible_to(user).select_related("account")
    found = visible.filter(pk=contact.pk).first()
    if found is None:
        raise ObjectDoesNotExist
    if not Contact.objects.editable_by(user).filter(pk=contact.pk).exists():
        raise PermissionDenied
    return found


def _check_sendable(contact: Contact, consented: bool) -> None:
    if not contact.email:
        raise NotSendable({"contact": [_("This contact has no email address.")]})
    if not consented:
        raise NotSendable({"contact": [_("This contact has not agreed to receive email.")]})


def _build(*, user, contact: Contact, template: EmailTemplate, sender: Sender, key: str,
           extra: dict[str, Any], fields_cache: dict, variables: frozenset[str]
           ) -> OutboundEmail:
    rendered = render_email(template=template, contact=contact, sender=sender, extra=extra,
                            fields_cache=fields_cache, variables=variables)
    to_name = str(contact)
    # Checked in this order so the error names the field the payload reached first.
    check_header("subject", rendered.subject)
    check_header("to_name", to_name)
    check_header("from_name", sender.name)
    to_address = check_address("to_address", contact.email)
    # An identity's address is validated; DEFAULT_FROM_EMAIL is the operator's (it may be
    # amity@localhost, which is no valid public address) and only has to be one line.
    from_address = check_address("from_address", sender.address) if sender.identity \
        else check_header("from_address", sender.address)
    reply_to = check_address("reply_to", sender.reply_to) if sender.reply_to else ""
    return OutboundEmail(
        contact=contact, to_address=to_address, to_name=to_name, identity=sender.identity,
        from_name=sender.name, from_address=from_address, reply_to=reply_to,
        template=template, template_language=rendered.language, subject=rendered.subject,
        text_body=rendered.text, html_body=rendered.html,
        message_id=new_message_id(from_address), idempotency_key=key, created_by=user)


def _existing(key: str, contact: Contact) -> OutboundEmail | None:
    found = OutboundEmail.objects.filter(idempotency_key=key).first()
    if found is not None and found.contact_id != contact.pk:
        raise ValidationError({"idempotency_key": [
            _("This idempotency key was already used for a message to another contact.")]})
    return found


def _store_and_enqueue(message: OutboundEmail,
                       attachments: Iterable[Attachment] = ()) -> OutboundEmail:
    from amity.integrations.tasks import send_outbound_email

    try:
        with transaction.atomic():
            message.save()
            OutboundAttachment.objects.bulk_create(
                OutboundAttachment(message=message, filename=a.filename,
                                   content_type=a.content_type, data=a.data)
                for a in attachments)
            # Replies to it (In-Reply-To / References) then join its conversation.
            mail_thread_register(message_id=message.message_id, subject=message.subject)
            send_outbound_email.enqueue(message.pk)
    except IntegrityError:
        # The same key arrived twice at once: the other call stored it first.
        return OutboundEmail.objects.get(idempotency_key=message.idempotency_key)
    return message


def email_send(*, user, contact: Contact, template: EmailTemplate, idempotency_key: str,
               extra_context: dict[str, Any] | None = None,
               attachments: Iterable[Attachment] = ()) -> OutboundEmail:
    """Queue one message from `template` to `contact`, sent as `user`'s identity, with
    `attachments` (files). The same `idempotency_key` again returns the same message and
    sends nothing new."""
    key = _check_key(idempotency_key)
    contact = _editable_contact(user, contact)
    if (found := _existing(key, contact)) is not None:
        return found
    _sendable_template(template)
    _check_sendable(contact, may_contact(contact, CHANNEL))
    message = _build(user=user, contact=contact, template=template, sender=sender_for(user),
                     key=key, extra=_check_extra(extra_context), fields_cache={},
                     variables=template_variables())
    return _store_and_enqueue(message, _check_attachments(attachments))


def _consented_ids(contact_ids: list[int]) -> set[int]:
    """Of `contact_ids`, those whose newest email consent is a grant (may_contact, for a
    chunk of contacts in one query)."""
    newest: dict[int, str] = {}
    statements = (Consent.objects.filter(contact_id__in=contact_ids, channel=CHANNEL)
                  .order_by("contact_id", "-recorded_at", "-id")
                  .values_list("contact_id", "status"))
    for contact_id, status in statements:
        newest.setdefault(contact_id, status)
    return {cid for cid, status in newest.items() if status == ConsentStatus.GRANTED}


def email_send_bulk(*, user, contacts: Iterable[Contact] | Iterable[int],
                    template: EmailTemplate, idempotency_key: str,
                    extra_context: dict[str, Any] | None = None) -> BulkSendReport:
    """Queue `template` to each contact (one message and one task each), skipping and
    reporting those without consent, address or access. Each contact's key is
    "<idempotency_key>:<contact id>", so calling again after a crash resumes."""
    key = _check_key(idempotency_key)
    _sendable_template(template)
    extra = _check_extra(extra_context)
    sender = sender_for(user)
    context = {"fields_cache": {}, "variables": template_variables()}
    template = EmailTemplate.objects.prefetch_related("versions").get(pk=template.pk)
    report = BulkSendReport()
    if isinstance(contacts, QuerySet):  # ids only: a segment may hold a million contacts
        contacts = contacts.values_list("pk", flat=True)
    ids = list(dict.fromkeys(c if isinstance(c, int) else c.pk for c in contacts))
    for start in range(0, len(ids), BULK_CHUNK):
        _bulk_chunk(user, ids[start:start + BULK_CHUNK], template, key, sender, extra,
                    context, report)
    return report


def _bulk_chunk(user, ids: list[int], template, key: str, sender: Sender, extra: dict,
                context: dict, report: BulkSendReport) -> None:
    editable = {c.pk: c for c in Contact.objects.editable_by(user).select_related("account")
                .filter(pk__in=ids)}
    keys = {cid: f"{key}:{cid}"[:KEY_MAX] for cid in ids}
    done = {m.contact_id: m for m in OutboundEmail.objects.filter(
        idempotency_key__in=keys.values())}
    consented = _consented_ids(list(editable))
    for cid in ids:
        contact = editable.get(cid)
        if contact is None:
            report.skipped.append((cid, _("Not found.")))
        elif cid in done:
            report.queued.append(done[cid])
        else:
            try:
                _check_sendable(contact, cid in consented)
                message = _build(user=user, contact=contact, template=template, sender=sender,
                                 key=keys[cid], extra=extra, **context)
            except ValidationError as exc:
                report.skipped.append((cid, "; ".join(exc.messages)))
                continue
            report.queued.append(_store_and_enqueue(message))


def new_idempotency_key() -> str:
    """A key for a send nobody will repeat on purpose (e.g. an API call without one)."""
    return f"once:{uuid.uuid4()}"
