"""The inbound-mail webhook: providers that receive mail for us post it here.

POST /api/v1/inbound-mail/{mailbox_id} with the raw RFC 822 message as the body (or a
multipart form with a `message` field, file or text) and the mailbox's secret in the
X-Mailbox-Token header. The message takes the same path as one polled over IMAP."""

import hmac

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from amity.api.errors import ErrorOut, error_json
from amity.integrations.inbound_mail import inbound_store
from amity.integrations.models import Mailbox, hash_token
from amity.integrations.models.mail_in import Source

router = Router(tags=["inbound mail"])
TOKEN_HEADER = "X-Mailbox-Token"  # noqa: S105 - a header name


class InboundResult(Schema):
    id: int
    message_id: str
    thread: int
    duplicate: bool


def _mailbox(request: HttpRequest, mailbox_id: int) -> Mailbox | None:
    token = request.headers.get(TOKEN_HEADER, "")
    mailbox = Mailbox.objects.filter(pk=mailbox_id).first()
    if mailbox is None or not token or not mailbox.webhook_token_hash:
        return None
    return mailbox if hmac.compare_digest(mailbox.webhook_token_hash,
                                          hash_token(token)) else None


def _too_large(size: int):
    return error_json(413, _("The message is %(size)s bytes; the limit is %(limit)s.") % {
        "size": size, "limit": settings.MAIL_IN_MAX_MESSAGE_BYTES}, code="message_too_large")


class TextFieldTooBig(Exception):
    pass


def _read_message(request: HttpRequest, limit: int) -> bytes:
    """The posted message, at most limit + 1 bytes (RequestDataTooBig above that)."""
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("message")
        if upload is not None:
            if upload.size > limit:
                raise RequestDataTooBig
            return upload.read()
        try:
            text = request.POST.get("message", "")
        except RequestDataTooBig as exc:  # Django's cap on form fields held in memory
            raise TextFieldTooBig from exc
        return text.encode("utf-8", "surrogateescape")
    if getattr(request, "_body", None) is not None:  # read already (middleware)
        return request._body[: limit + 1]
    # Read from the stream: request.body refuses anything over DATA_UPLOAD_MAX_MEMORY_SIZE
    # (2.5 MB), far below a mail's size. Kept as the body for whoever reads it later.
    request._body = request.read(limit + 1)
    return request._body


ANSWERS = {200: InboundResult, 201: InboundResult,
           **{status: ErrorOut for status in (400, 401, 403, 413, 422)}}


@router.post("/{int:mailbox_id}", auth=None, response=ANSWERS, operation_id="inbound_mail_post",
             summary="Post an inbound email (raw RFC 822) for a mailbox")
def inbound_mail_post(request: HttpRequest, mailbox_id: int):
    """Store one message posted by a mail provider for this mailbox: 201 when stored,
    200 when it was stored before (same Message-ID), 422 when rejected (with why)."""
    mailbox = _mailbox(request, mailbox_id)
    if mailbox is None:
        return error_json(401, _("The %(header)s header is missing or wrong for this "
                                 "mailbox.") % {"header": TOKEN_HEADER}, code="bad_token")
    if not mailbox.active:
        return error_json(403, _("This mailbox is switched off."), code="mailbox_inactive")
    limit = settings.MAIL_IN_MAX_MESSAGE_BYTES
    declared = int(request.headers.get("Content-Length") or 0)
    if declared > limit + 64 * 1024:  # room for a multipart envelope
        return _too_large(declared)
    try:
        raw = _read_message(request, limit)
    except RequestDataTooBig:
        return _too_large(declared)
    except TextFieldTooBig:
        return error_json(413, _("The \"message\" form field is too large for a text field; "
                                 "send the message as a file part or as the raw body."),
                          code="message_too_large")
    if len(raw) > limit:
        return _too_large(declared or len(raw))
    if not raw.strip():
        return error_json(400, _("No message: send the raw RFC 822 message as the body, or "
                                 "a multipart form with a \"message\" field."),
                          code="empty_message")
    result = inbound_store(raw, mailbox=mailbox, source=Source.WEBHOOK)
    if result.rejected is not None:
        return error_json(422, _("The message was rejected: %(reason)s") % {
            "reason": result.rejected.reason_text}, code="message_rejected")
    message = result.message
    return Status(201 if result.created else 200, {
        "id": message.pk, "message_id": message.message_id, "thread": message.thread_id,
        "duplicate": not result.created})
