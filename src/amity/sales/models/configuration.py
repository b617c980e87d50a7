"""Configuration rules on products, kept as data an administrator writes as
"If [product] [is selected / quantity ≥ N] then [action] else [action]"."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from amity.sales.models.catalog import Product

QUANTITY = [MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("9999999999"))]
# An adjustment is at most ±1,000,000,000 per unit or ±1000 %: larger is a typo.
ADJUSTMENT = [MinValueValidator(Decimal("-1000000000")), MaxValueValidator(Decimal("1000000000"))]


class Condition(models.TextChoices):
    SELECTED = "selected", _("is selected")
    QUANTITY_AT_LEAST = "quantity_at_least", _("quantity is at least")


class Action(models.TextChoices):
    NOTHING = "", _("nothing")
    REQUIRES = "requires", _("requires")
    EXCLUDES = "excludes", _("excludes")
    ADD_DEFAULT = "add_default", _("adds by default")
    ADJUST_PRICE = "adjust_price", _("adjusts the price")


class AdjustBy(models.TextChoices):
    PERCENT = "percent", _("percent of the list price")
    AMOUNT = "amount", _("amount per unit")


@dataclass(frozen=True)
class Outcome:
    """What one branch (then / else) of a rule does."""

    action: str
    product: Product | None
    quantity: Decimal
    adjust_by: str
    adjust_value: Decimal | None


class ConfigurationRule(models.Model):
    """If the condition product is selected (with at least `min_quantity` units when the
    condition says so) the then-branch applies, otherwise the else-branch.

    Actions: requires / excludes another product, adds another product by default, or
    adjusts a price (the branch's product's line, or the condition product's line when
    the branch names none) by a percentage of its list price or an amount per unit."""

    name = models.CharField(_("name"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    if_product = models.ForeignKey(Product, verbose_name=_("if product"),
                                   on_delete=models.CASCADE, related_name="configuration_rules")
    condition = models.CharField(_("condition"), max_length=20, choices=Condition.choices,
                                 default=Condition.SELECTED)
    min_quantity = models.DecimalField(_("quantity at least"), max_digits=12, decimal_places=2,
                                       null=True, blank=True, validators=QUANTITY)
    then_action = models.CharField(_("then"), max_length=12, choices=Action.choices)
    then_product = models.ForeignKey(Product, verbose_name=_("then: product"), null=True,
                                     blank=True, on_delete=models.CASCADE, related_name="+")
    then_quantity = models.DecimalField(_("then: default quantity"), max_digits=12,
                                        decimal_places=2, default=Decimal(1), validators=QUANTITY)
    then_adjust_by = models.CharField(_("then: adjust by"), max_length=8,
                                      choices=AdjustBy.choices, blank=True)
    then_adjust_value = models.DecimalField(_("then: adjustment"), max_digits=14,
                                            decimal_places=2, null=True, blank=True,
                                            validators=ADJUSTMENT,
                                            help_text=_("Negative for a discount."))
    else_action = models.CharField(_("else"), max_length=12, choices=Action.choices,
                                   blank=True)
    else_product = models.ForeignKey(Product, verbose_name=_("else: product"), null=True,
                                     blank=True, on_delete=models.CASCADE, related_name="+")
    else_quantity = models.DecimalField(_("else: default quantity"), max_digits=12,
                                        decimal_places=2, default=Decimal(1), validators=QUANTITY)
    else_adjust_by = models.CharField(_("else: adjust by"), max_length=8,
                                      choices=AdjustBy.choices, blank=True)
    else_adjust_value = models.DecimalField(_("else: adjustment"), max_digits=14,
                                            decimal_places=2, null=True, blank=True,
                                            validators=ADJUSTMENT,
                                            help_text=_("Negative for a discount."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("configuration rule")
        verbose_name_plural = _("configuration rules")
        ordering = ["if_product__name", "id"]
        indexes = [models.Index(fields=["active", "if_product"], name="config_rule_active")]

    def __str__(self) -> str:
        return self.name or _("Rule %(id)s") % {"id": self.pk}

    def outcome(self, met: bool) -> Outcome:
        """The branch that applies when the condition is (not) met."""
        prefix = "then" if met else "else"
        value = getattr(self, f"{prefix}_adjust_value")
        return Outcome(
            action=getattr(self, f"{prefix}_action"),
            product=getattr(self, f"{prefix}_product"),
            quantity=getattr(self, f"{prefix}_quantity"),
            adjust_by=getattr(self, f"{prefix}_adjust_by"),
            adjust_value=value,
        )

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.condition == Condition.QUANTITY_AT_LEAST and self.min_quantity is None:
            errors["min_quantity"] = _("Give the quantity the condition needs.")
        if not self.then_action:
            errors["then_action"] = _("Choose what the rule does.")
        for prefix in ("then", "else"):
            errors.update(self._branch_errors(prefix))
        if errors:
            raise ValidationError(errors)

    def _branch_errors(self, prefix: str) -> dict[str, str]:
        action = getattr(self, f"{prefix}_action")
        product_id = getattr(self, f"{prefix}_product_id")
        needs_product = action in (Action.REQUIRES, Action.EXCLUDES, Action.ADD_DEFAULT)
        if needs_product and product_id is None:
            return {f"{prefix}_product": _("Choose the product this action is about.")}
        if needs_product and product_id == self.if_product_id:
            return {f"{prefix}_product": _("Choose a product other than the rule's own.")}
        if action == Action.ADJUST_PRICE:
            errors = {}
            if not getattr(self, f"{prefix}_adjust_by"):
                errors[f"{prefix}_adjust_by"] = _("Choose a percentage or an amount.")
            value = getattr(self, f"{prefix}_adjust_value")
            if value is None or value == 0:
                errors[f"{prefix}_adjust_value"] = _("Give the adjustment, e.g. -10.")
            elif getattr(self, f"{prefix}_adjust_by") == AdjustBy.PERCENT and value < -100:
                errors[f"{prefix}_adjust_value"] = _("A discount cannot exceed 100 %.")
            elif getattr(self, f"{prefix}_adjust_by") == AdjustBy.PERCENT and value > 1000:
                errors[f"{prefix}_adjust_value"] = _("A surcharge cannot exceed 1000 %.")
            return errors
        return {}


class RuleAdjusted(models.Model):
    """A priced line that configuration rules may adjust: opportunity, quote and order
    lines carry what the rules added (negative for a discount) and why."""

    adjustment = models.DecimalField(_("rule adjustment"), max_digits=18, decimal_places=2,
                                     default=Decimal(0))
    adjustment_note = models.CharField(_("adjustment note"), max_length=500, blank=True)

    class Meta:
        abstract = True
