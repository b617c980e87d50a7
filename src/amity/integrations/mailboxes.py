"""Mailboxes: saving their settings, connecting to their IMAP server, and polling.

Polling is idempotent. The mailbox remembers the folder's UIDVALIDITY and the last
UID it has dealt with; each message is stored (or rejected) in its own transaction
together with that bookmark, so a crash mid-poll neither skips nor repeats a
message. Message-IDs are unique per mailbox, so a reset of UIDVALIDITY re-reads the
folder without storing anything twice. A message that cannot be stored is recorded
as rejected and passed over; it never blocks the ones after it."""

import imaplib
import logging
import secrets
import ssl
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from amity.integrations.inbound_mail import inbound_reject, inbound_store, message_too_large
from amity.integrations.mail_reasons import NOT_STORED, Reason
from amity.integrations.models import Mailbox, hash_token
from amity.integrations.models.mail_in import Security, Source
from amity.integrations.secret_box import SecretUnreadable, seal, unseal

logger = logging.getLogger("amity.mail_in")
WEBHOOK_TOKEN_PREFIX = "amity_mail_"  # noqa: S105 - a public marker, not a secret
CONNECTION_ERRORS = (OSError, IMAPClientError, imaplib.IMAP4.error, SecretUnreadable)


class MailboxUnavailable(Exception):
    """The IMAP server could not be reached or refused us; str(exc) says how."""


@dataclass
class PollReport:
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0


def mailbox_save(*, mailbox: Mailbox, data: dict, password: str = "") -> Mailbox:
    """Save the mailbox settings; a blank password keeps the stored one."""
    for name, value in data.items():
        setattr(mailbox, name, value)
    if password:
        mailbox.password_encrypted = seal(password)
    if (mailbox.pk and Mailbox.objects.filter(pk=mailbox.pk).exclude(
            host=mailbox.host, username=mailbox.username, folder=mailbox.folder).exists()):
        # Another server, account or folder: its UIDs mean nothing to the old bookmark.
        mailbox.uid_validity, mailbox.last_uid = None, 0
    mailbox.full_clean()
    mailbox.save()
    return mailbox


def mailbox_token_new(*, mailbox: Mailbox) -> str:
    """A new secret for the mailbox's inbound webhook, returned once; the old one stops
    working."""
    raw = WEBHOOK_TOKEN_PREFIX + secrets.token_urlsafe(32)
    Mailbox.objects.filter(pk=mailbox.pk).update(webhook_token_hash=hash_token(raw))
    mailbox.webhook_token_hash = hash_token(raw)
    return raw


def _connect(mailbox: Mailbox, *, timeout: float | None = None) -> IMAPClient:
    # Certificates are always verified; a server with a private CA is trusted by adding
    # that CA (AMITY_MAIL_IN_CA_FILE), never by switching verification off.
    context = ssl.create_default_context()
    if settings.MAIL_IN_CA_FILE:
        context.load_verify_locations(cafile=settings.MAIL_IN_CA_FILE)
    client = IMAPClient(mailbox.host, port=mailbox.port, ssl=mailbox.security == Security.SSL,
                        ssl_context=context, timeout=timeout or settings.MAIL_IN_IMAP_TIMEOUT)
    try:
        if mailbox.security == Security.STARTTLS:
            client.starttls(context)
        client.login(mailbox.username, unseal(mailbox.password_encrypted))
    except BaseException:
        _close(client)
        raise
    return client


def _close(client: IMAPClient) -> None:
    try:
        client.logout()
    except (*CONNECTION_ERRORS, AttributeError):
        pass  # the connection is gone already


def _explain(exc: Exception) -> str:
    if isinstance(exc, SecretUnreadable):
        return _("The stored password cannot be decrypted (SECRET_KEY changed); enter it "
                 "again.")
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, ConnectionRefusedError):
        return _("The server refused the connection: %(detail)s") % {"detail": detail}
    if isinstance(exc, TimeoutError):
        return _("The server did not answer in time.")
    if isinstance(exc, OSError):
        return _("Cannot reach the server: %(detail)s") % {"detail": detail}
    return _("The server said: %(detail)s") % {"detail": detail}


def mailbox_test(*, mailbox: Mailbox) -> str:
    """Connect, sign in and open the folder; what was found, or MailboxUnavailable."""
    try:
        # An administrator is waiting on the page: give up sooner than a poll would.
        client = _connect(mailbox, timeout=min(settings.MAIL_IN_IMAP_TIMEOUT, 10))
        try:
            status = client.folder_status(mailbox.folder, [b"MESSAGES"])
        finally:
            _close(client)
    except CONNECTION_ERRORS as exc:
        raise MailboxUnavailable(_explain(exc)) from exc
    return _("Connected: %(count)s messages in %(folder)s.") % {
        "count": status.get(b"MESSAGES", 0), "folder": mailbox.folder}


def _record_failure(mailbox: Mailbox, message: str) -> None:
    now = timezone.now()
    Mailbox.objects.filter(pk=mailbox.pk).update(last_error=message, last_error_at=now,
                                                 last_polled_at=now)


def mailbox_poll(mailbox_id: int) -> PollReport:
    """Fetch the mailbox's new messages and store each once. Raises MailboxUnavailable
    (recorded on the mailbox) when the server cannot be used, so the task is retried."""
    mailbox = Mailbox.objects.filter(pk=mailbox_id).first()
    report = PollReport()
    if mailbox is None or not mailbox.active:  # deleted or switched off since queued
        return report
    try:
        client = _connect(mailbox)
        try:
            _poll(client, mailbox, report)
        finally:
            _close(client)
    except CONNECTION_ERRORS as exc:
        message = _explain(exc)
        logger.warning("Mailbox %s: poll failed: %s", mailbox.pk, message)
        _record_failure(mailbox, message)
        raise MailboxUnavailable(message) from exc
    except DatabaseError:
        raise
    except Exception as exc:  # e.g. a server answer we do not understand: show it, retry
        logger.exception("Mailbox %s: poll failed", mailbox.pk)
        _record_failure(mailbox, _("Unexpected error: %(detail)s") % {
            "detail": f"{type(exc).__name__}: {exc}"})
        raise
    Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=timezone.now(),
                                                 last_error="", last_error_at=None)
    return report


def _poll(client: IMAPClient, mailbox: Mailbox, report: PollReport) -> None:
    folder = client.select_folder(mailbox.folder, readonly=True)
    validity = int(folder[b"UIDVALIDITY"])
    if mailbox.uid_validity != validity:
        # A new folder, or the server renumbered it: read it again from the start.
        Mailbox.objects.filter(pk=mailbox.pk).update(uid_validity=validity, last_uid=0)
        mailbox.uid_validity, mailbox.last_uid = validity, 0
    # "n:*" always includes the newest message, even when its UID is below n.
    uids = sorted(u for u in client.search(["UID", f"{mailbox.last_uid + 1}:*"])
                  if u > mailbox.last_uid)[: settings.MAIL_IN_POLL_BATCH]
    if not uids:
        return
    sizes = client.fetch(uids, ["RFC822.SIZE"])
    for uid in uids:
        size = int(sizes.get(uid, {}).get(b"RFC822.SIZE", 0))
        raw = None
        if not message_too_large(size):
            fetched = client.fetch([uid], ["BODY.PEEK[]"]).get(uid)
            if fetched is None:  # expunged since the search: nothing to take
                continue
            raw = fetched.get(b"BODY[]") or b""
        _take(mailbox, validity, uid, raw, size, report)


def _take(mailbox: Mailbox, validity: int, uid: int, raw: bytes | None, size: int,
          report: PollReport) -> None:
    """Store (or reject) one message and move the bookmark past it, in one transaction."""
    with transaction.atomic():
        box = Mailbox.objects.select_for_update().get(pk=mailbox.pk)
        if box.uid_validity != validity or box.last_uid >= uid:
            return  # another poll took it
        try:
            with transaction.atomic():
                if raw is None:
                    inbound_reject(mailbox=box, reason=message_too_large(size),
                                   source=Source.IMAP, raw_size=size, imap_uid=uid)
                    report.rejected += 1
                else:
                    _count(report, inbound_store(raw, mailbox=box, source=Source.IMAP,
                                                 imap_uid=uid))
        except DatabaseError:
            raise  # the database, not the message: stop and retry later
        except Exception as exc:  # a poison message must not block the mailbox
            logger.exception("Mailbox %s: message uid %s could not be stored", box.pk, uid)
            inbound_reject(mailbox=box, reason=Reason(NOT_STORED, {
                "error": f"{type(exc).__name__}: {exc}"}), source=Source.IMAP, raw=raw or b"",
                imap_uid=uid)
            report.rejected += 1
        Mailbox.objects.filter(pk=box.pk).update(last_uid=uid)
        mailbox.last_uid = uid


def _count(report: PollReport, result) -> None:
    if result.rejected is not None:
        report.rejected += 1
    elif result.created:
        report.stored += 1
    else:
        report.duplicates += 1
