"""Notifications for users: what happened, for whom, which record it is about, and
whether it was read, emailed or sent in a digest; and each user's preferences."""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amity.collaboration.channels import Channel
from amity.collaboration.kinds import kind_label

TITLE_MAX_LENGTH = 500


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> "NotificationQuerySet":
        """A user's own notifications: the only ones any view or endpoint reads."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"),
                                  on_delete=models.CASCADE, related_name="notifications",
                                  db_index=False)
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    # The record it is about, if any; opened through the record's access gate.
    record_type = models.ForeignKey(ContentType, null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="+",
                                    db_index=False)  # nothing reads notifications by kind
    record_id = models.BigIntegerField(null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+",
                              db_index=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # The channel chosen when it was made: emailed at once, or kept for the digest.
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices,
                               default=Channel.IN_APP)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    digest = models.ForeignKey("Digest", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="notifications", db_index=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The list, newest first (keyset on created_at, id).
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list"),
            # The bell's count: only unread rows are in it, so it stays small.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True),
                         name="notification_unread"),
            # What the digest job still has to send.
            models.Index(fields=["recipient"], name="notification_undigested",
                         condition=Q(channel="digest", digest__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


def _default_digest_time() -> dt.time:
    return dt.time(8, 0)


class NotificationSettings(models.Model):
    """A user's choices: a channel per kind (kinds not listed use their default) and the
    local time of day the digest is sent."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, primary_key=True,
                                on_delete=models.CASCADE, related_name="notification_settings")
    channels = models.JSONField(_("channels"), default=dict, blank=True)
    digest_time = models.TimeField(_("digest time"), default=_default_digest_time)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user)


class Digest(models.Model):
    """One digest email for one user and one day (in the user's time zone): its row is the
    proof the day's digest was made, so a second run of the job makes none."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", db_index=False)
    period = models.DateField(_("day"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [models.UniqueConstraint(fields=["user", "period"],
                                               name="one_digest_per_user_and_day")]

    def __str__(self) -> str:
        return f"{self.user} {self.period}"
