"""Email out: templates with per-language versions, sender identities, SMTP settings and
the outbound messages themselves (one row per message, sent by one task)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The languages a template may have a version in (codes as Django writes them).
TEMPLATE_LANGUAGES = (
    ("en", _("English")),
    ("th", _("Thai")),
    ("fa", _("Persian")),
    ("zh-hans", _("Simplified Chinese")),
)
SUBJECT_MAX = 500
BODY_MAX = 200_000  # characters of HTML; far above any real email


class LanguageTemplate(models.Model):
    """What email and SMS templates share: a name, a default language, and versions (a
    related `versions` set, one per language) of which each contact gets theirs."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    default_language = models.CharField(_("default language"), max_length=10,
                                        choices=TEMPLATE_LANGUAGES, default="en")
    archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def version_for(self, language: str):
        """The version in `language` (or its base language), else the default one."""
        return pick_version({v.language: v for v in self.versions.all()}, language,
                            self.default_language)


class EmailTemplate(LanguageTemplate):
    """A message administrators write once and send to many contacts, each in their language."""

    class Meta(LanguageTemplate.Meta):
        verbose_name = _("email template")
        verbose_name_plural = _("email templates")


def pick_version(versions: dict, language: str, default_language: str):
    """Of a template's versions by language code: the one in `language`, else one in the
    same base language (th-TH finds th, zh or zh-CN finds zh-hans), else the default."""
    wanted = (language or "").lower().replace("_", "-")
    if wanted in versions:
        return versions[wanted]
    base = wanted.split("-")[0]
    same_base = [code for code in versions if code.split("-")[0] == base]
    if base and same_base:
        return versions[same_base[0]]
    return versions.get(default_language) or next(iter(versions.values()), None)


class EmailTemplateVersion(models.Model):
    template = models.ForeignKey(EmailTemplate, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("language"), max_length=10, choices=TEMPLATE_LANGUAGES)
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    html_body = models.TextField(_("HTML body"), max_length=BODY_MAX)
    text_body = models.TextField(_("plain-text body"), max_length=BODY_MAX, blank=True,
                                 help_text=_("Left empty, it is made from the HTML body."))

    class Meta:
        ordering = ["language"]
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        constraints = [models.UniqueConstraint(fields=["template", "language"],
                                               name="template_version_once")]

    def __str__(self) -> str:
        return f"{self.template} ({self.language})"


class SenderIdentity(models.Model):
    """Who a message is from: the organisation's identity, or one user's own."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True,
                                blank=True, on_delete=models.CASCADE,
                                related_name="sender_identity")
    from_name = models.CharField(_("from name"), max_length=200)
    from_address = models.CharField(_("from address"), max_length=254)
    reply_to = models.CharField(_("reply-to"), max_length=254, blank=True)
    # True for the one organisation-wide identity (user is then empty).
    organisation = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("sender identity")
        verbose_name_plural = _("sender identities")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation=True, user__isnull=True)
                | Q(organisation=False, user__isnull=False),
                name="identity_of_user_or_organisation"),
            models.UniqueConstraint(fields=["organisation"], condition=Q(organisation=True),
                                    name="one_organisation_identity"),
        ]

    def __str__(self) -> str:
        return f"{self.from_name} <{self.from_address}>"


class SmtpSecurity(models.TextChoices):
    NONE = "none", _("None")
    STARTTLS = "starttls", _("STARTTLS")
    SSL = "ssl", _("SSL/TLS")


class SmtpSettings(models.Model):
    """The SMTP server set in the UI (one row); without it the EMAIL_* settings apply."""

    host = models.CharField(_("host"), max_length=253)
    port = models.PositiveIntegerField(_("port"), default=587,
                                       validators=[MinValueValidator(1),
                                                   MaxValueValidator(65535)])
    security = models.CharField(_("security"), max_length=10, choices=SmtpSecurity.choices,
                                default=SmtpSecurity.STARTTLS)
    username = models.CharField(_("user"), max_length=254, blank=True)
    # Fernet token (integrations.secret_box); the password itself is never stored or shown.
    password_encrypted = models.TextField(blank=True, editable=False)
    timeout = models.PositiveIntegerField(_("timeout (seconds)"), default=20,
                                          validators=[MinValueValidator(1),
                                                      MaxValueValidator(300)])
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("SMTP settings")
        verbose_name_plural = _("SMTP settings")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="smtp_settings_single")]

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


class OutboundStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class OutboundEmailQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OutboundEmailQuerySet":
        """Messages to contacts the user may see."""
        from amity.customers.models import Contact

        if getattr(user, "is_administrator", False):
            return self
        return self.filter(contact__in=Contact.objects.visible_to(user).values("id"))


class OutboundEmail(models.Model):
    """One message to one contact, rendered when queued and sent by one task."""

    contact = models.ForeignKey("customers.Contact", verbose_name=_("contact"),
                                on_delete=models.CASCADE, related_name="outbound_emails")
    to_address = models.CharField(_("to"), max_length=254)
    to_name = models.CharField(_("to name"), max_length=300, blank=True)
    identity = models.ForeignKey(SenderIdentity, verbose_name=_("sender identity"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="+")
    # The sender as it was when queued: changing an identity later does not change history.
    from_name = models.CharField(_("from name"), max_length=200)
    from_address = models.CharField(_("from address"), max_length=254)
    reply_to = models.CharField(_("reply-to"), max_length=254, blank=True)
    template = models.ForeignKey(EmailTemplate, verbose_name=_("template"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="+")
    template_language = models.CharField(_("language"), max_length=10, blank=True)
    subject = models.CharField(_("subject"), max_length=2000)
    text_body = models.TextField(_("plain-text body"))
    html_body = models.TextField(_("HTML body"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=300, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=OutboundStatus.choices,
                              default=OutboundStatus.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbound email")
        verbose_name_plural = _("outbound emails")
        indexes = [
            models.Index(fields=["contact", "-created_at", "-id"], name="outbound_by_contact"),
            models.Index(fields=["-created_at", "-id"], name="outbound_newest"),
            models.Index(fields=["status", "-created_at", "-id"], name="outbound_by_status"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_address}"
