"""Notifying users, and what they do with their notifications and preferences."""

import datetime as dt
import re
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from amity.collaboration.channels import Channel
from amity.collaboration.kinds import notification_kind, notification_kinds
from amity.collaboration.models import (
    TITLE_MAX_LENGTH,
    Notification,
    NotificationSettings,
)
from amity.core.locale import user_language

_SPACE = re.compile(r"\s+")


def clean_title(text: str) -> str:
    """One line (titles become email subjects), at most TITLE_MAX_LENGTH characters."""
    text = _SPACE.sub(" ", text).strip()
    if len(text) > TITLE_MAX_LENGTH:
        text = text[: TITLE_MAX_LENGTH - 1].rstrip() + "…"
    return text


def _title_for(title: str | Promise, user) -> str:
    """The title in the recipient's language (a lazy title is rendered for each user)."""
    with user_language(user):
        return clean_title(str(title))


def settings_of(users: Iterable) -> dict[int, NotificationSettings]:
    """Each user's notification settings (unsaved defaults for users without any)."""
    ids = [u.pk for u in users]
    found = {s.user_id: s for s in NotificationSettings.objects.filter(user_id__in=ids)}
    return {pk: found.get(pk) or NotificationSettings(user_id=pk) for pk in ids}


def channel_of(user_settings: NotificationSettings, kind: str) -> str:
    chosen = user_settings.channels.get(kind)
    if chosen in Channel.values:
        return chosen
    registered = notification_kind(kind)
    return registered.default_channel if registered else Channel.IN_APP


def _recipients(recipients: Iterable, actor, include_actor: bool) -> list:
    users, seen = [], set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        if actor is not None and user.pk == actor.pk and not include_actor:
            continue
        seen.add(user.pk)
        users.append(user)
    return users


def notify(*, recipients: Iterable, kind: str, title: str | Promise,
           record: models.Model | None = None, actor=None,
           include_actor: bool = False) -> list[Notification]:
    """Notify each active recipient as their preferences for `kind` say (in the app, plus an
    email now or in the digest, or not at all); the actor is left out unless
    `include_actor`. `title` may be lazy (format_lazy) to be rendered in each recipient's
    language. Immediate emails are enqueued in the caller's transaction."""
    from amity.collaboration.tasks import send_notification_email

    if notification_kind(kind) is None:
        raise ValidationError({"kind": [_("Unknown kind of notification: %(kind)s.")
                                        % {"kind": kind}]})
    if not clean_title(str(title)):
        raise ValidationError({"title": [_("A notification needs a title.")]})
    users = _recipients(recipients, actor, include_actor)
    choices = settings_of(users)
    record_type = ContentType.objects.get_for_model(record) if record is not None else None
    rows = [
        Notification(recipient=user, kind=kind, title=_title_for(title, user),
                     record_type=record_type, record_id=getattr(record, "pk", None),
                     actor=actor, channel=channel)
        for user in users
        if (channel := channel_of(choices[user.pk], kind)) != Channel.OFF
    ]
    if not rows:
        return []
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows)
        for notification in created:
            if notification.channel == Channel.EMAIL:
                send_notification_email.enqueue(notification.pk)
    return created


def unread_count(user) -> int:
    """How many notifications the user has not read (one query on a partial index)."""
    return Notification.objects.for_user(user).unread().count()


def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of the user's notifications read; another user's id is not found."""
    notification = Notification.objects.for_user(user).get(pk=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read; how many were."""
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


def notification_settings_save(*, user, channels: dict[str, str],
                               digest_time: dt.time | None = None) -> NotificationSettings:
    """Store the user's channel per kind (only registered kinds and known channels)."""
    errors = {}
    for kind, channel in channels.items():
        if notification_kind(kind) is None:
            errors[f"channels.{kind}"] = [_("Unknown kind of notification.")]
        elif channel not in Channel.values:
            errors[f"channels.{kind}"] = [_("Choose one of: %(choices)s.")
                                          % {"choices": ", ".join(Channel.values)}]
    if errors:
        raise ValidationError(errors)
    current = settings_of([user])[user.pk]
    current.channels = {**current.channels, **channels}
    if digest_time is not None:
        current.digest_time = digest_time.replace(second=0, microsecond=0, tzinfo=None)
    current.save()
    return current


def notification_choices(user) -> list[tuple]:
    """(kind, the user's channel for it) for every registered kind."""
    current = settings_of([user])[user.pk]
    return [(kind, channel_of(current, kind.key)) for kind in notification_kinds()]
