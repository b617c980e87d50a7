"""The duplicate review queue: pairs of contacts the finder thinks are one person,
each waiting for a person to merge them or to say they are not duplicates."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PairStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MERGED = "merged", _("Merged")
    DISMISSED = "dismissed", _("Not a duplicate")


class DuplicatePair(models.Model):
    """Two contacts, the lower id on the left, and how likely they are the same person."""

    left = models.ForeignKey("customers.Contact", verbose_name=_("contact"),
                             on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey("customers.Contact", verbose_name=_("possible duplicate"),
                              on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField(_("probability"))
    status = models.CharField(_("status"), max_length=10, choices=PairStatus.choices,
                              default=PairStatus.OPEN)
    found_at = models.DateTimeField(_("found"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("duplicate pair")
        verbose_name_plural = _("duplicate pairs")
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="duplicate_pair_unique"),
            models.CheckConstraint(condition=models.Q(left__lt=models.F("right")),
                                   name="duplicate_pair_ordered"),
        ]
        indexes = [models.Index(fields=["status", "-probability", "id"],
                                name="duplicate_pair_queue")]

    def __str__(self) -> str:
        return f"{self.left_id} ~ {self.right_id} ({self.probability:.2f})"

    @property
    def percent(self) -> float:
        return round(self.probability * 100, 1)
