"""Sending notifications by email: one at once, or each user's daily digest. Both are
recorded so that a run repeated after a crash or a retry sends nothing twice."""

import datetime as dt
import logging
import zoneinfo

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amity.collaboration.channels import Channel
from amity.collaboration.mail import open_url, send_to_user, user_locale
from amity.collaboration.models import Digest, Notification
from amity.collaboration.services import settings_of
from amity.core.calendars import format_number
from amity.org.models import User

logger = logging.getLogger("amity.collaboration")


def email_notification(notification_id: int) -> bool:
    """Email one notification unless it was already; whether it was sent now.

    The row stays locked while the server accepts the message and is marked in the same
    transaction, so two runs never both send it; only a crash between the server's
    acceptance and the commit can repeat it (once)."""
    with transaction.atomic():
        notification = (Notification.objects.select_for_update()
                        .select_related("recipient").filter(pk=notification_id).first())
        if notification is None or notification.emailed_at is not None:
            return False
        user = notification.recipient
        if not user.is_active or not user.email:
            return False
        send_to_user(user, subject=notification.title, template="collaboration/email/single",
                     context={"notification": notification, "url": open_url(notification)})
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def _local_now(user, now: dt.datetime) -> dt.datetime:
    try:
        return now.astimezone(zoneinfo.ZoneInfo(user.time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return now.astimezone(dt.UTC)


def due_users(now: dt.datetime) -> list[tuple[User, dt.date]]:
    """The users with notifications waiting for a digest whose digest time has come today
    (in their time zone) and who have no digest for today yet, with that day."""
    waiting = (Notification.objects.filter(channel=Channel.DIGEST, digest__isnull=True)
               .values_list("recipient_id", flat=True).distinct())
    users = list(User.objects.filter(pk__in=list(waiting), is_active=True))
    choices = settings_of(users)
    due = []
    for user in users:
        local = _local_now(user, now)
        if local.time() >= choices[user.pk].digest_time:
            due.append((user, local.date()))
    done = set(Digest.objects.filter(user__in=[u for u, _d in due])
               .values_list("user_id", "period"))
    return [(user, day) for user, day in due if (user.pk, day) not in done]


def send_digest(user: User, day: dt.date) -> Digest | None:
    """Send the user's digest for `day`: the digest row, the notifications marked as in
    it and the email all in one transaction; nothing if it exists or nothing waits."""
    try:
        with transaction.atomic():
            digest = Digest.objects.create(user=user, period=day)
            waiting = list(Notification.objects.select_for_update()
                           .filter(recipient=user, channel=Channel.DIGEST, digest__isnull=True)
                           .order_by("created_at", "id"))
            if not waiting:
                raise _NothingToSend
            Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(digest=digest)
            _send_digest_email(user, waiting)
            digest.sent_at = timezone.now()
            digest.save(update_fields=["sent_at"])
    except (IntegrityError, _NothingToSend):  # another run made it, or nothing was left
        return None
    return digest


class _NothingToSend(Exception):
    pass


class DigestsFailed(Exception):
    """Some digests could not be sent; the job fails so that it is retried and shown."""


def _send_digest_email(user: User, notifications: list[Notification]) -> None:
    with user_locale(user):
        items = [{"notification": n, "url": open_url(n)} for n in notifications]
        subject = _("Your Amity notifications (%(count)s)") % {
            "count": format_number(len(notifications))}
    send_to_user(user, subject=subject, template="collaboration/email/digest",
                 context={"items": items})


def send_due_digests(now: dt.datetime | None = None) -> int:
    """Send every due digest; a failure for one user (mail server down) is logged and
    retried by the next run, and does not stop the others. How many were sent."""
    now = now or timezone.now()
    sent, failed = 0, 0
    for user, day in due_users(now):
        try:
            sent += send_digest(user, day) is not None
        except Exception:
            failed += 1
            logger.exception("The digest for user %s failed; it is retried", user.pk)
    if failed:
        raise DigestsFailed(f"{failed} digest(s) failed, {sent} sent")
    return sent
