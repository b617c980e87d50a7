"""Opportunity line items: products with quantities, priced from the opportunity's
price book. Not records of their own: they are seen and changed through their
opportunity's access gate."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from amity.sales.models.catalog import Product
from amity.sales.models.configuration import RuleAdjusted
from amity.sales.models.pipelines import PERCENT, Opportunity

CENT = Decimal("0.01")
MAX_QUANTITY = Decimal("9999999999")
MAX_PRICE = Decimal("9999999999999999")


def money(value: Decimal) -> Decimal:
    """Rounded to cents, half up, as invoices round."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class OpportunityLine(RuleAdjusted):
    opportunity = models.ForeignKey(Opportunity, verbose_name=_("opportunity"),
                                    on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT,
                                related_name="opportunity_lines")
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2,
                                   validators=[MinValueValidator(CENT),
                                               MaxValueValidator(MAX_QUANTITY)])
    # The book's tier price when the line was priced; a rep may set their own unit price.
    list_price = models.DecimalField(_("list price"), max_digits=18, decimal_places=2,
                                     validators=[MinValueValidator(Decimal(0))])
    unit_price = models.DecimalField(_("unit price"), max_digits=18, decimal_places=2,
                                     validators=[MinValueValidator(Decimal(0)),
                                                 MaxValueValidator(MAX_PRICE)])
    discount_percent = models.DecimalField(_("discount (%)"), max_digits=5, decimal_places=2,
                                           default=Decimal(0), validators=PERCENT)
    total = models.DecimalField(_("line total"), max_digits=18, decimal_places=2,
                                editable=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("opportunity line")
        verbose_name_plural = _("opportunity lines")
        ordering = ["opportunity", "position", "id"]
        indexes = [models.Index(fields=["opportunity", "position"], name="opp_line_position")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product}"

    def compute_total(self) -> Decimal:
        """quantity × unit price less the discount, plus rule adjustments; never below 0."""
        gross = self.quantity * self.unit_price * (100 - self.discount_percent) / 100
        return max(money(gross) + self.adjustment, Decimal("0.00"))
