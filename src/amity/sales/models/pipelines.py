"""Pipelines of ordered stages and the opportunities that move along them."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from amity.core.models import OwnedRecord
from amity.core.money import validate_currency

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Pipeline(models.Model):
    """A sales process (new business, renewal, partner), set up by an administrator."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_default = models.BooleanField(_("default"), default=False)
    archived = models.BooleanField(_("archived"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("pipeline")
        verbose_name_plural = _("pipelines")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=models.Q(is_default=True),
                                    name="one_default_pipeline"),
        ]

    def __str__(self) -> str:
        return self.name


class StageOutcome(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class Stage(models.Model):
    """One step of a pipeline; won and lost stages close an opportunity."""

    pipeline = models.ForeignKey(Pipeline, verbose_name=_("pipeline"),
                                 on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"))
    probability = models.DecimalField(_("probability (%)"), max_digits=5, decimal_places=2,
                                      validators=PERCENT)
    outcome = models.CharField(_("outcome"), max_length=4, choices=StageOutcome.choices,
                               default=StageOutcome.OPEN)
    # Opportunity field names that must be filled before an opportunity may enter this
    # stage (e.g. ["amount", "close_date"]); custom fields as "custom.<key>".
    required_fields = models.JSONField(_("required fields"), default=list, blank=True)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["pipeline", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pipeline", "position"], name="stage_position"),
            models.UniqueConstraint(fields=["pipeline", "name"], name="stage_name"),
        ]

    def __str__(self) -> str:
        return self.name


class OpportunityStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class ForecastCategory(models.TextChoices):
    PIPELINE = "pipeline", _("Pipeline")
    BEST_CASE = "best_case", _("Best case")
    COMMIT = "commit", _("Commit")
    OMITTED = "omitted", _("Omitted")
    CLOSED = "closed", _("Closed")


class Opportunity(OwnedRecord):
    """A possible sale to an account, moving through the stages of one pipeline."""

    area = "sales"
    export_fields = ("id", "name", "account", "contact", "pipeline", "stage", "status",
                     "amount", "currency", "probability", "close_date", "forecast_category",
                     "lost_reason", "competitor", "owner", "team", "created_at", "updated_at")

    name = models.CharField(_("name"), max_length=200)
    account = models.ForeignKey("customers.Account", verbose_name=_("account"),
                                null=True, blank=True, on_delete=models.PROTECT,
                                related_name="opportunities")
    contact = models.ForeignKey("customers.Contact", verbose_name=_("contact"),
                                null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="opportunities")
    pipeline = models.ForeignKey(Pipeline, verbose_name=_("pipeline"),
                                 on_delete=models.PROTECT, related_name="opportunities")
    stage = models.ForeignKey(Stage, verbose_name=_("stage"), on_delete=models.PROTECT,
                              related_name="opportunities")
    status = models.CharField(_("status"), max_length=4, choices=OpportunityStatus.choices,
                              default=OpportunityStatus.OPEN, editable=False)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2, null=True,
                                 blank=True, validators=[MinValueValidator(Decimal(0))])
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency],
                                help_text=_("ISO code, e.g. THB"))
    # The stage's default probability unless a rep sets their own.
    probability = models.DecimalField(_("probability (%)"), max_digits=5, decimal_places=2,
                                      validators=PERCENT)
    # Set when a rep chose the probability: moves then keep it instead of taking the
    # new stage's default.
    probability_manual = models.BooleanField(_("probability set by hand"), default=False,
                                             editable=False)
    close_date = models.DateField(_("expected close date"), null=True, blank=True)
    forecast_category = models.CharField(_("forecast category"), max_length=10,
                                         choices=ForecastCategory.choices,
                                         default=ForecastCategory.PIPELINE)
    stage_entered_at = models.DateTimeField(_("in stage since"), null=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    lost_reason = models.CharField(_("reason lost"), max_length=200, blank=True)
    competitor = models.CharField(_("competitor"), max_length=200, blank=True)
    # The book its lines are priced from (sales.line_items); same currency as the amount.
    price_book = models.ForeignKey("sales.PriceBook", verbose_name=_("price book"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    lead = models.ForeignKey("sales.Lead", verbose_name=_("lead"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+", editable=False)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    custom = models.JSONField(_("custom fields"), default=dict, blank=True)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [
            *OwnedRecord.Meta.indexes,
            models.Index(fields=["pipeline", "status", "stage", "id"], name="opp_board"),
            models.Index(fields=["owner", "status", "close_date", "id"], name="opp_owner_open"),
            models.Index(fields=["team", "status", "close_date", "id"], name="opp_team_open"),
            models.Index(fields=["account", "status"], name="opp_account"),
            models.Index(fields=["contact", "status"], name="opp_contact"),
            # A board column's cards, most recently changed first (keyset "more").
            models.Index(fields=["stage", "-updated_at", "-id"], name="opp_stage_cards"),
            # A rep's board (own or team's records): only the pipeline's open rows, where
            # (owner, …) and (team, …) would read the rep's open rows of every pipeline.
            models.Index(fields=["pipeline", "status", "owner"], name="opp_board_owner"),
            models.Index(fields=["pipeline", "status", "team"], name="opp_board_team"),
            # The forecast roll-up (sales.forecast_figures) reads open opportunities by
            # close date and won ones by the day they closed; with the columns it adds up
            # included, PostgreSQL answers from the index alone.
            models.Index(fields=["close_date"], name="opp_forecast_open",
                         include=["owner", "team", "currency", "forecast_category", "amount",
                                  "probability"],
                         condition=models.Q(status="open", deleted__isnull=True)),
            models.Index(fields=["closed_at"], name="opp_forecast_won",
                         include=["owner", "team", "currency", "amount"],
                         condition=models.Q(status="won", deleted__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.stage_id and self.pipeline_id and self.stage.pipeline_id != self.pipeline_id:
            raise ValidationError({"stage": _("The stage belongs to another pipeline.")})
        if self.amount is not None and not self.currency:
            raise ValidationError({"currency": _("Give the currency of the amount.")})
        # Keyed on currency, the field an opportunity form shows (the price book is
        # chosen on the lines panel, which checks it first under its own name).
        if self.price_book_id and self.price_book.currency != self.currency:
            raise ValidationError({"currency": _(
                "The price book is in %(book)s but the opportunity is in %(currency)s."
            ) % {"book": self.price_book.currency, "currency": self.currency}})


class StageChange(models.Model):
    """One move of an opportunity between stages: its stage history and time in stage."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE,
                                    related_name="stage_changes")
    from_stage = models.ForeignKey(Stage, null=True, on_delete=models.PROTECT, related_name="+")
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("changed"))
    changed_by = models.ForeignKey("org.User", null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # How long the opportunity had been in from_stage; None for its first stage.
    seconds_in_previous = models.PositiveBigIntegerField(null=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [models.Index(fields=["opportunity", "changed_at"], name="stage_change_opp")]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"
