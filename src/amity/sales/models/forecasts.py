"""Quotas: how much a rep is expected to win in a month or a quarter."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")


class Quota(models.Model):
    """A rep's target for one period, in the organisation's currency (AMITY_CURRENCY).

    A quarter without its own quota is the sum of its months' quotas."""

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("rep"),
                            on_delete=models.CASCADE, related_name="quotas")
    period_kind = models.CharField(_("period"), max_length=7, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    amount = models.DecimalField(_("quota"), max_digits=18, decimal_places=2,
                                 validators=[MinValueValidator(Decimal(0))])
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["rep", "period_start", "period_kind"]
        constraints = [
            models.UniqueConstraint(fields=["rep", "period_kind", "period_start"],
                                    name="one_quota_per_rep_period"),
            models.CheckConstraint(condition=models.Q(amount__gte=0),
                                   name="quota_not_negative"),
        ]
        indexes = [models.Index(fields=["period_start", "rep"], name="quota_period")]

    def __str__(self) -> str:
        return f"{self.rep} {self.period_kind} {self.period_start}: {self.amount}"
