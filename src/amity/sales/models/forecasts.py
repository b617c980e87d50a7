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


class ForecastSnapshot(models.Model):
    """The forecast as it stood on a day, taken weekly (sales.forecast_snapshots), so the
    forecast page can show how committed, best case and pipeline moved since."""

    taken_on = models.DateField(_("taken on"), unique=True)
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)

    class Meta:
        verbose_name = _("forecast snapshot")
        verbose_name_plural = _("forecast snapshots")
        ordering = ["-taken_on"]

    def __str__(self) -> str:
        return str(self.taken_on)


class ForecastSnapshotLine(models.Model):
    """One opportunity as a snapshot saw it. The columns the forecast adds up carry the
    names they have on Opportunity, so sales.forecast_figures reads lines as it reads
    opportunities; who sees a line is decided by its opportunity's access gate today."""

    snapshot = models.ForeignKey(ForecastSnapshot, on_delete=models.CASCADE,
                                 related_name="lines", db_index=False)
    opportunity = models.ForeignKey("sales.Opportunity", on_delete=models.CASCADE,
                                    related_name="+", db_index=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+", db_index=False)
    status = models.CharField(max_length=4)
    forecast_category = models.CharField(max_length=10)
    currency = models.CharField(max_length=3)
    amount = models.DecimalField(max_digits=18, decimal_places=2)
    probability = models.DecimalField(max_digits=5, decimal_places=2)
    close_date = models.DateField(null=True)
    closed_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["snapshot", "opportunity"],
                                               name="forecast_snapshot_line_once")]
        # As on Opportunity (opp_forecast_open, opp_forecast_won): a period's open lines
        # by close date and won ones by closing day, with the columns added up.
        indexes = [
            models.Index(fields=["snapshot", "close_date"], name="snapshot_forecast_open",
                         include=["opportunity", "owner", "currency", "forecast_category",
                                  "amount", "probability"],
                         condition=models.Q(status="open")),
            models.Index(fields=["snapshot", "closed_at"], name="snapshot_forecast_won",
                         include=["opportunity", "owner", "currency", "amount"],
                         condition=models.Q(status="won")),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot_id}: {self.opportunity_id}"
