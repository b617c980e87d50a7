"""Text messages to contacts: checks, queueing, sending once, and delivery status.

`sms_send` is the one way to send (UI, API, automation): it checks access, consent and
the phone number, stores the message and queues its task in one transaction. The task
sends through the configured gateway and never sends a message that is no longer
queued; a retry after a crash between the provider's acceptance and our commit is the
only way a second copy can leave, and the gateway gets the same reference both times."""

import unicodedata
from typing import Any

import gsm0338  # noqa: F401 - registers the "gsm03.38" codec
import phonenumbers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amity.customers.models import Channel, Contact
from amity.customers.selectors import may_contact
from amity.events.services import publish
from amity.integrations.models import SmsMessage, SmsStatus
from amity.integrations.models.sms import STATUS_RANK, SmsEncoding
from amity.integrations.sms_gateways import SmsSendError, sms_gateway

MAX_SEGMENTS = 10
MAX_ATTEMPTS = 5
BACKOFF_SECONDS = 60
MAX_KEY_LENGTH = 100
# (characters in one message, characters per part of a longer one)
LIMITS = {SmsEncoding.GSM7: (160, 153), SmsEncoding.UCS2: (70, 67)}


class SmsAttemptFailed(Exception):
    """The gateway failed for now; the worker tries again later."""


def sms_segments(body: str) -> tuple[str, int]:
    """(encoding, parts): GSM-7 when every character is in it (extension characters such
    as € count twice), else UCS-2, where an emoji counts twice."""
    try:
        units, encoding = len(body.encode("gsm03.38")), SmsEncoding.GSM7
    except UnicodeError:
        units, encoding = len(body.encode("utf-16-le")) // 2, SmsEncoding.UCS2
    single, part = LIMITS[encoding]
    return encoding, 1 if units <= single else -(-units // part)


def clean_body(body: str) -> str:
    """The message as it will be sent; ValidationError on the "body" field otherwise."""
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n")
    if not body.strip():
        raise ValidationError({"body": [_("Write the message.")]})
    bad = next((ch for ch in body
                if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cs")), None)
    if bad is not None:
        raise ValidationError({"body": [_("The message contains a control character "
                                          "(U+%(code)s); remove it.")
                                        % {"code": f"{ord(bad):04X}"}]})
    encoding, segments = sms_segments(body)
    if segments > MAX_SEGMENTS:
        _single, part = LIMITS[encoding]
        raise ValidationError({"body": [_("The message is too long: %(segments)s parts, at "
                                          "most %(max)s (%(chars)s characters in this "
                                          "alphabet).") % {
            "segments": segments, "max": MAX_SEGMENTS, "chars": part * MAX_SEGMENTS}]})
    return body


def contact_for_sms(user, contact: Contact | int) -> Contact:
    """The contact `user` may text (visible and editable; any contact for the system)."""
    pk = contact.pk if isinstance(contact, Contact) else contact
    if user is None:  # the system acting (automation): no record access to check
        found = Contact.objects.filter(pk=pk).first()
    else:
        found = Contact.objects.visible_to(user).filter(pk=pk).first()
    if found is None:
        raise ValidationError({"contact": [_("There is no contact with this id.")]})
    if user is not None and not Contact.objects.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied
    return found


def _recipient(contact: Contact) -> str:
    number = contact.phone_e164
    if not number:
        raise ValidationError({"contact": [_("This contact has no phone number to text.")]})
    try:
        valid = phonenumbers.is_valid_number(phonenumbers.parse(number))
    except phonenumbers.NumberParseException:
        valid = False
    if not valid:
        raise ValidationError({"contact": [_("This contact's phone number (%(number)s) is not "
                                             "a valid number.") % {"number": number}]})
    if not may_contact(contact, Channel.SMS):
        raise ValidationError({"contact": [_("This contact has not agreed to receive text "
                                             "messages (no SMS consent in force).")]})
    return number


def _clean_key(key: str) -> str:
    key = (key or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationError({"idempotency_key": [
            _("Give an idempotency key of 1 to %(n)s printable characters.")
            % {"n": MAX_KEY_LENGTH}]})
    return key


def sms_send(*, user, contact: Contact | int, body: str, idempotency_key: str) -> SmsMessage:
    """Queue a text message to `contact` (sent once per idempotency key). `user` must be
    able to change the contact; None means the system (automation) acts."""
    key = _clean_key(idempotency_key)
    contact = contact_for_sms(user, contact)
    body = clean_body(body)
    existing = SmsMessage.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _replay(existing, contact, body)
    to = _recipient(contact)
    encoding, segments = sms_segments(body)
    try:
        with transaction.atomic():
            message = SmsMessage.objects.create(
                contact=contact, to=to, body=body, encoding=encoding, segments=segments,
                idempotency_key=key, created_by=user)
            _enqueue(message)
    except IntegrityError:  # the same key at the same moment: the first one wins
        return _replay(SmsMessage.objects.get(idempotency_key=key), contact, body)
    return message


def _enqueue(message: SmsMessage) -> None:
    from amity.integrations.sms_tasks import send_sms

    send_sms.enqueue(message.pk)


def _replay(existing: SmsMessage, contact: Contact, body: str) -> SmsMessage:
    if existing.contact_id != contact.pk or existing.body != body:
        raise ValidationError({"idempotency_key": [
            _("This idempotency key was already used for another message.")]})
    return existing


def _publish(message: SmsMessage, kind: str, **extra: Any) -> None:
    publish(subject=message.contact, kind=kind, actor=message.created_by, payload={
        "message_id": message.pk, "to": message.to, "segments": message.segments,
        "summary": message.body[:160], **extra})


def sms_deliver(*, message_id: int) -> str:
    """Hand a queued message to the gateway (the task's work); returns its status."""
    message = SmsMessage.objects.select_related("contact", "created_by").filter(
        pk=message_id).first()
    if message is None or message.status != SmsStatus.QUEUED:
        return message.status if message else ""
    if not may_contact(message.contact, Channel.SMS):  # withdrawn since it was queued
        _fail(message, "SMS consent was withdrawn before sending", attempts=message.attempts)
        return SmsStatus.FAILED
    gateway = sms_gateway()
    attempts = message.attempts + 1
    try:
        provider_id = gateway.send(to=message.to, body=message.body,
                                   reference=f"amity-sms-{message.pk}")
    except SmsSendError as exc:
        if exc.permanent or attempts >= MAX_ATTEMPTS:
            _fail(message, str(exc), attempts=attempts)
            return SmsStatus.FAILED
        SmsMessage.objects.filter(pk=message.pk).update(attempts=attempts, error=str(exc))
        raise SmsAttemptFailed(f"message {message.pk} attempt {attempts}: {exc}") from exc
    now = timezone.now()
    with transaction.atomic():
        SmsMessage.objects.filter(pk=message.pk, status=SmsStatus.QUEUED).update(
            status=SmsStatus.SENT, provider_id=provider_id, backend=gateway.name,
            attempts=attempts, error="", sent_at=now, status_changed_at=now)
        message.status = SmsStatus.SENT
        _publish(message, "sms.sent")
    return SmsStatus.SENT


def sms_gave_up(message_id: int) -> None:
    """Its task is dead (the tries ran out, some perhaps on workers that were lost): a
    message still queued is failed rather than left queued for ever."""
    message = SmsMessage.objects.select_related("contact", "created_by").filter(
        pk=message_id, status=SmsStatus.QUEUED).first()
    if message is not None:
        _fail(message, "its tries ran out before the gateway took it",
              attempts=message.attempts)


def _fail(message: SmsMessage, error: str, *, attempts: int,
          status: str = SmsStatus.FAILED) -> None:
    with transaction.atomic():
        SmsMessage.objects.filter(pk=message.pk).update(
            status=status, error=error[:2000], attempts=attempts,
            status_changed_at=timezone.now())
        _publish(message, "sms.failed", error=error[:200])


CALLBACK_STATUSES = {SmsStatus.SENT, SmsStatus.DELIVERED, SmsStatus.FAILED,
                     SmsStatus.UNDELIVERABLE}


def sms_status_update(*, provider_id: str, status: str, error: str = "") -> SmsMessage:
    """Apply a provider's delivery report. Statuses only move forward, so a late or
    repeated report changes nothing. Raises SmsMessage.DoesNotExist for unknown ids."""
    if status not in CALLBACK_STATUSES:
        raise ValidationError({"status": [_("Unknown status; use one of: %(choices)s.")
                                          % {"choices": ", ".join(sorted(CALLBACK_STATUSES))}]})
    with transaction.atomic():
        message = SmsMessage.objects.select_for_update().filter(
            provider_id=provider_id).exclude(provider_id="").order_by("-id").first()
        if message is None:
            raise SmsMessage.DoesNotExist(provider_id)
        if STATUS_RANK[SmsStatus(status)] <= STATUS_RANK[SmsStatus(message.status)]:
            return message
        message.status, message.status_changed_at = status, timezone.now()
        message.error = error[:2000]
        message.save(update_fields=["status", "status_changed_at", "error"])
        if status == SmsStatus.DELIVERED:
            _publish(message, "sms.delivered")
        elif status != SmsStatus.SENT:
            _publish(message, "sms.failed", error=error[:200])
    return message
