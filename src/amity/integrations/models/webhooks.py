"""Webhooks out: subscriptions to event kinds, deliveries, and each attempt's log."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

SECRET_PREFIX = "whsec_"  # noqa: S105 - a public marker, not a secret


class WebhookSubscription(models.Model):
    name = models.CharField(_("name"), max_length=100)
    url = models.CharField(_("target URL"), max_length=2000)
    # Event kinds wanted; an empty list means every kind.
    event_kinds = models.JSONField(_("event kinds"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    allow_private_network = models.BooleanField(
        _("allow private network"), default=False,
        help_text=_("Let this target be on a loopback or private address (an internal "
                    "service). Only for targets you trust."))
    # Kept readable: every delivery is signed with it.
    secret = models.CharField(max_length=80)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return self.name

    @property
    def secret_prefix(self) -> str:
        return self.secret[: len(SECRET_PREFIX) + 4]

    def wants(self, kind: str) -> bool:
        return not self.event_kinds or kind in self.event_kinds


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RETRYING = "retrying", _("Retrying")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One message to one target, tried until it is delivered or the tries run out."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(WebhookSubscription, null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="deliveries")
    # For calls without a subscription (automation's "call a webhook").
    url = models.CharField(_("target URL"), max_length=2000, blank=True)
    secret = models.CharField(max_length=200, blank=True)
    allow_private_network = models.BooleanField(default=False)
    event_id = models.BigIntegerField(null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=64)
    subject_type = models.ForeignKey(ContentType, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    subject_id = models.BigIntegerField(null=True, blank=True)
    body = models.TextField()  # the exact JSON sent, so every attempt signs the same bytes
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["subscription", "-created_at", "-id"],
                                name="webhook_delivery_log")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.target_url}"

    @property
    def target_url(self) -> str:
        return self.subscription.url if self.subscription_id else self.url


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE,
                                 related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField(_("when"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    response_excerpt = models.TextField(_("response"), blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self) -> str:
        return f"#{self.number}: {self.status_code or self.error}"
