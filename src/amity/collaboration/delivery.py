"""Sending notifications by email: one at once, or each user's daily digest. Each is
marked as sent once the mail server accepts it, so a retried task sends nothing twice;
no database lock is held while the mail server is talked to."""

import datetime as dt
import zoneinfo

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amity.collaboration.channels import Channel
from amity.collaboration.mail import open_url, send_to_user
from amity.collaboration.models import Digest, Notification
from amity.collaboration.services import settings_of
from amity.core.calendars import format_number
from amity.core.locale import user_locale
from amity.org.models import User


def email_notification(notification_id: int) -> bool:
    """Email one notification unless it was already; whether it was sent now.

    Marked as emailed right after the server accepts it, with no lock held while talking
    to the server. Its task is enqueued once and a task runs on one worker at a time, so
    only a crash between the server's acceptance and that mark can repeat it (once)."""
    notification = (Notification.objects.select_related("recipient")
                    .filter(pk=notification_id, emailed_at__isnull=True).first())
    if notification is None:
        return False
    user = notification.recipient
    if not user.is_active or not user.email:
        return False
    send_to_user(user, subject=notification.title, template="collaboration/email/single",
                 context={"notification": notification, "url": open_url(notification)})
    Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now())
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


def make_digest(user: User, day: dt.date) -> Digest | None:
    """The user's digest for `day`: its row, the notifications marked as in it and the task
    that emails it, in one transaction; None if it exists already or nothing waits."""
    from amity.collaboration.tasks import send_digest_email

    try:
        with transaction.atomic():
            digest = Digest.objects.create(user=user, period=day)
            marked = (Notification.objects
                      .filter(recipient=user, channel=Channel.DIGEST, digest__isnull=True)
                      .update(digest=digest))
            if not marked:
                raise _NothingToSend
            send_digest_email.enqueue(digest.pk)
    except (IntegrityError, _NothingToSend):  # another run made it, or nothing was left
        return None
    return digest


class _NothingToSend(Exception):
    pass


def make_due_digests(now: dt.datetime | None = None) -> int:
    """Make (and enqueue the sending of) every digest that is due; how many."""
    now = now or timezone.now()
    return sum(make_digest(user, day) is not None for user, day in due_users(now))


def email_digest(digest_id: int) -> bool:
    """Email a digest unless it was already; whether it was sent now (see
    email_notification for why it is sent once)."""
    digest = Digest.objects.select_related("user").filter(pk=digest_id,
                                                          sent_at__isnull=True).first()
    if digest is None or not digest.user.is_active or not digest.user.email:
        return False
    notifications = list(digest.notifications.order_by("created_at", "id"))
    with user_locale(digest.user):
        items = [{"notification": n, "url": open_url(n)} for n in notifications]
        subject = _("Your Amity notifications (%(count)s)") % {
            "count": format_number(len(notifications))}
    send_to_user(digest.user, subject=subject, template="collaboration/email/digest",
                 context={"items": items})
    Digest.objects.filter(pk=digest.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return True
