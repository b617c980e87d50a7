"""Files attached to an outbound message (a quote's PDF, …), stored with the row so a
retried send task attaches the very same bytes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class OutboundAttachment(models.Model):
    message = models.ForeignKey("integrations.OutboundEmail", on_delete=models.CASCADE,
                                related_name="attachments")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    data = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename
