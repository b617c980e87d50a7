"""Email in: the mailboxes an administrator configures, the messages they bring,
their threads, attachments, and the messages that could not be stored."""

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _


class Security(models.TextChoices):
    SSL = "ssl", _("SSL/TLS")
    STARTTLS = "starttls", _("STARTTLS")
    NONE = "none", _("None (plain text)")


class Mailbox(models.Model):
    """An IMAP folder polled for mail, which can also receive mail posted by a provider."""

    name = models.CharField(_("name"), max_length=100)
    host = models.CharField(_("IMAP server"), max_length=253)
    port = models.PositiveIntegerField(_("port"), default=993)
    security = models.CharField(_("security"), max_length=10, choices=Security.choices,
                                default=Security.SSL)
    username = models.CharField(_("user name"), max_length=254)
    # Fernet token of the password (amity.integrations.secrets); never shown back.
    password_encrypted = models.TextField(blank=True, editable=False)
    folder = models.CharField(_("folder"), max_length=200, default="INBOX")
    active = models.BooleanField(_("active"), default=True)
    # Only the hash of the inbound-webhook token is kept, like API tokens.
    webhook_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Where polling stands: UIDs are only meaningful within one UIDVALIDITY.
    uid_validity = models.BigIntegerField(null=True, blank=True, editable=False)
    last_uid = models.BigIntegerField(default=0, editable=False)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True,
                                          editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    last_error_at = models.DateTimeField(_("failed at"), null=True, blank=True,
                                         editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Mail from an address no contact or lead has becomes a lead owned by lead_owner.
    create_leads = models.BooleanField(_("create leads from unknown senders"), default=False)
    lead_owner = models.ForeignKey("org.User", verbose_name=_("owner of new leads"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.create_leads and not self.lead_owner_id:
            from django.core.exceptions import ValidationError

            raise ValidationError({"lead_owner": _("Choose who owns the leads this mailbox "
                                                   "creates.")})


class MailThread(models.Model):
    """A conversation: messages joined by Message-ID, In-Reply-To and References."""

    subject = models.CharField(_("subject"), max_length=998, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return self.subject or f"#{self.pk}"


class ThreadMessageId(models.Model):
    """Every Message-ID known to belong to a thread: those of stored messages, those
    they refer to (so a parent that arrives later joins its reply's thread) and those
    of messages we send (so replies to them join their thread)."""

    message_id = models.CharField(max_length=255, unique=True)
    thread = models.ForeignKey(MailThread, on_delete=models.CASCADE, related_name="message_ids")

    def __str__(self) -> str:
        return self.message_id


# Other apps name who else may read a message: each is user -> a condition on messages
# (sales: those whose sender is a lead the user sees).
MESSAGE_READERS: list = []


class InboundMessageQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InboundMessageQuerySet":
        """Messages matched to a contact the user sees; every message for administrators."""
        from amity.customers.models import Contact

        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self
        seen = InboundMessage.contacts.through.objects.filter(
            inboundmessage=OuterRef("pk"), contact__in=Contact.objects.visible_to(user))
        condition = Exists(seen)
        for reader in MESSAGE_READERS:
            condition |= reader(user)
        return self.filter(condition)


class Source(models.TextChoices):
    IMAP = "imap", _("IMAP")
    WEBHOOK = "webhook", _("Webhook")


class InboundMessage(models.Model):
    mailbox = models.ForeignKey(Mailbox, verbose_name=_("mailbox"), on_delete=models.CASCADE,
                                related_name="messages")
    source = models.CharField(_("received by"), max_length=10, choices=Source.choices)
    # Always set: a message without one gets "<sha256-of-the-bytes@amity.invalid>".
    message_id = models.CharField(_("Message-ID"), max_length=255)
    in_reply_to = models.TextField(_("In-Reply-To"), blank=True)
    references = models.TextField(_("References"), blank=True)
    thread = models.ForeignKey(MailThread, verbose_name=_("conversation"),
                               on_delete=models.PROTECT, related_name="messages")
    from_address = models.CharField(_("from"), max_length=254, blank=True)
    from_name = models.CharField(_("sender name"), max_length=200, blank=True)
    to = models.JSONField(_("to"), default=list, blank=True)
    cc = models.JSONField(_("cc"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    text_body = models.TextField(_("text"), blank=True)
    html_body = models.TextField(_("HTML"), blank=True)  # as sent; sanitised when shown
    raw_size = models.PositiveIntegerField(_("size"))
    imap_uid = models.BigIntegerField(null=True, blank=True)
    # What was wrong with the message and how it was read anyway (charset guessed…).
    problems = models.JSONField(_("problems"), default=list, blank=True)
    contacts = models.ManyToManyField("customers.Contact", verbose_name=_("contacts"),
                                      related_name="inbound_messages", blank=True)
    # When the reply check (mail_reply_checks) decided whether it was answered in time.
    reply_checked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = InboundMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        constraints = [models.UniqueConstraint(fields=["mailbox", "message_id"],
                                               name="inbound_message_once")]
        indexes = [models.Index(fields=["mailbox", "-received_at", "-id"],
                                name="inbound_mailbox_recent"),
                   models.Index(fields=["received_at"], name="inbound_reply_unchecked",
                                condition=models.Q(reply_checked_at__isnull=True))]

    def __str__(self) -> str:
        return self.subject or self.message_id


def attachment_path(instance: "InboundAttachment", filename: str) -> str:
    # The sender's file name is not used on disk: it may be anything (../, NUL, 300 chars).
    return f"mail/attachments/{instance.sha256[:2]}/{instance.sha256}"


class InboundAttachment(models.Model):
    message = models.ForeignKey(InboundMessage, on_delete=models.CASCADE,
                                related_name="attachments")
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    declared_type = models.CharField(_("declared type"), max_length=255, blank=True)
    content_type = models.CharField(_("checked type"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=attachment_path, max_length=200, blank=True)
    # Why it was refused: a message template and its values (integrations.mail_reasons).
    refused_reason = models.CharField(_("refused because"), max_length=200, blank=True)
    refused_args = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename or self.sha256[:12]

    @property
    def stored(self) -> bool:
        return bool(self.file)

    @property
    def refused_text(self) -> str:
        from amity.integrations.mail_reasons import reason_text

        return reason_text(self.refused_reason, self.refused_args)


class RejectedMessage(models.Model):
    """A message that could not be stored, with the reason; polling goes on past it."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="rejected")
    source = models.CharField(_("received by"), max_length=10, choices=Source.choices)
    imap_uid = models.BigIntegerField(null=True, blank=True)
    uid_validity = models.BigIntegerField(null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    from_address = models.CharField(_("from"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    raw_size = models.PositiveBigIntegerField(_("size"), default=0)
    # A message template and its values (integrations.mail_reasons).
    reason = models.CharField(_("reason"), max_length=200)
    reason_args = models.JSONField(default=dict, blank=True)
    rejected_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-rejected_at", "-id"]
        verbose_name = _("rejected message")
        verbose_name_plural = _("rejected messages")

    def __str__(self) -> str:
        return self.reason_text

    @property
    def reason_text(self) -> str:
        from amity.integrations.mail_reasons import reason_text

        return reason_text(self.reason, self.reason_args)
