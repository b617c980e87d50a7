"""SMS: messages to contacts with their delivery status, and the development outbox."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amity.integrations.models.mail_out import TEMPLATE_LANGUAGES, LanguageTemplate


class SmsStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    UNDELIVERABLE = "undeliverable", _("Undeliverable")


# A status only moves forward: a late "sent" callback never undoes "delivered".
STATUS_RANK = {SmsStatus.QUEUED: 0, SmsStatus.SENT: 1, SmsStatus.DELIVERED: 2,
               SmsStatus.FAILED: 2, SmsStatus.UNDELIVERABLE: 2}


class SmsEncoding(models.TextChoices):
    GSM7 = "gsm7", _("GSM-7")
    UCS2 = "ucs2", _("UCS-2 (Unicode)")


class SmsMessage(models.Model):
    contact = models.ForeignKey("customers.Contact", verbose_name=_("contact"),
                                on_delete=models.CASCADE, related_name="sms_messages")
    to = models.CharField(_("to"), max_length=16)  # E.164
    body = models.TextField(_("message"))
    encoding = models.CharField(_("encoding"), max_length=4, choices=SmsEncoding.choices)
    segments = models.PositiveSmallIntegerField(_("segments"))
    status = models.CharField(_("status"), max_length=13, choices=SmsStatus.choices,
                              default=SmsStatus.QUEUED)
    backend = models.CharField(max_length=20, blank=True)
    provider_id = models.CharField(_("provider id"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    idempotency_key = models.CharField(max_length=100, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        indexes = [
            models.Index(fields=["contact", "-created_at"], name="sms_contact_recent"),
            models.Index(fields=["-created_at", "-id"], name="sms_recent"),
            models.Index(fields=["provider_id"], name="sms_provider_id"),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.body[:30]}"


class RecordedSms(models.Model):
    """What the development backend "sent": nothing leaves the machine."""

    to = models.CharField(_("to"), max_length=16)
    body = models.TextField(_("message"))
    reference = models.CharField(_("reference"), max_length=100, unique=True)
    provider_id = models.CharField(_("provider id"), max_length=100, unique=True)
    recorded_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("recorded text message")
        verbose_name_plural = _("recorded text messages")

    def __str__(self) -> str:
        return f"{self.to}: {self.body[:30]}"


SMS_TEMPLATE_MAX = 1600  # ten concatenated parts of GSM-7; a longer text is a letter


class SmsTemplate(LanguageTemplate):
    """A text message administrators write once, in several languages, with variables."""

    class Meta(LanguageTemplate.Meta):
        verbose_name = _("SMS template")
        verbose_name_plural = _("SMS templates")


class SmsTemplateVersion(models.Model):
    template = models.ForeignKey(SmsTemplate, on_delete=models.CASCADE,
                                 related_name="versions")
    language = models.CharField(_("language"), max_length=10, choices=TEMPLATE_LANGUAGES)
    body = models.TextField(_("message"), max_length=SMS_TEMPLATE_MAX)

    class Meta:
        ordering = ["language"]
        verbose_name = _("SMS template version")
        verbose_name_plural = _("SMS template versions")
        constraints = [models.UniqueConstraint(fields=["template", "language"],
                                               name="sms_template_version_once")]

    def __str__(self) -> str:
        return f"{self.template} ({self.language})"
