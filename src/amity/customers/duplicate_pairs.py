"""The duplicate review queue: pairs of contacts, or of accounts, the finder thinks are one,
each waiting for a person to merge them or to say they are not duplicates."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PairStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MERGED = "merged", _("Merged")
    DISMISSED = "dismissed", _("Not a duplicate")
    # The finder no longer reports it (a record changed); reopened if it does again.
    GONE = "gone", _("No longer found")


class PairKind(models.TextChoices):
    CONTACT = "contact", _("Contacts")
    ACCOUNT = "account", _("Accounts")


class DuplicatePair(models.Model):
    """Two contacts or two accounts, the lower id on the left, and how likely they are one."""

    kind = models.CharField(_("kind"), max_length=10, choices=PairKind.choices,
                            default=PairKind.CONTACT)
    left = models.ForeignKey("customers.Contact", verbose_name=_("contact"), null=True,
                             on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey("customers.Contact", verbose_name=_("possible duplicate"),
                              null=True, on_delete=models.CASCADE, related_name="+")
    left_account = models.ForeignKey("customers.Account", verbose_name=_("account"), null=True,
                                     on_delete=models.CASCADE, related_name="+")
    right_account = models.ForeignKey("customers.Account", verbose_name=_("possible duplicate"),
                                      null=True, on_delete=models.CASCADE, related_name="+")
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
            models.UniqueConstraint(fields=["left_account", "right_account"],
                                    name="duplicate_account_pair_unique"),
            models.CheckConstraint(condition=models.Q(left__lt=models.F("right")),
                                   name="duplicate_pair_ordered"),
            models.CheckConstraint(
                condition=models.Q(left_account__lt=models.F("right_account")),
                name="duplicate_account_pair_ordered"),
            models.CheckConstraint(
                condition=(Q(kind=PairKind.CONTACT, left__isnull=False, right__isnull=False,
                             left_account__isnull=True, right_account__isnull=True)
                           | Q(kind=PairKind.ACCOUNT, left__isnull=True, right__isnull=True,
                               left_account__isnull=False, right_account__isnull=False)),
                name="duplicate_pair_of_one_kind"),
        ]
        indexes = [models.Index(fields=["status", "-probability", "-id"],
                                name="duplicate_pair_queue")]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id} ({self.probability:.2f})"

    @property
    def first(self):
        return self.left if self.kind == PairKind.CONTACT else self.left_account

    @property
    def second(self):
        return self.right if self.kind == PairKind.CONTACT else self.right_account

    @property
    def records(self) -> tuple:
        return self.first, self.second

    @property
    def first_id(self) -> int:
        return self.left_id if self.kind == PairKind.CONTACT else self.left_account_id

    @property
    def second_id(self) -> int:
        return self.right_id if self.kind == PairKind.CONTACT else self.right_account_id

    @property
    def merge_url(self) -> str:
        return f"{reverse(f'{self.kind}_merge', args=[self.first_id])}?with={self.second_id}"

    @property
    def percent(self) -> float:
        return round(self.probability * 100, 1)
