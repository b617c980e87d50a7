"""Orders: what a customer bought, made from an accepted quote."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from amity.core.models import OwnedRecord
from amity.core.money import validate_currency
from amity.sales.models.configuration import RuleAdjusted


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Placed")
    PAID = "paid", _("Paid")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    RETURNED = "returned", _("Returned")


class Order(OwnedRecord):
    """A purchase by an account or contact, with the lines and totals of its quote."""

    area = "sales"
    export_fields = ("id", "number", "status", "account", "contact", "quote", "currency",
                     "subtotal", "discount_amount", "tax_amount", "total", "placed_at",
                     "owner", "team", "created_at", "updated_at")

    number = models.CharField(_("number"), max_length=20, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=OrderStatus.choices,
                              default=OrderStatus.PLACED, editable=False)
    quote = models.OneToOneField("sales.Quote", verbose_name=_("quote"), null=True,
                                 blank=True, editable=False, on_delete=models.PROTECT,
                                 related_name="order")
    account = models.ForeignKey("customers.Account", verbose_name=_("account"), null=True,
                                blank=True, editable=False, on_delete=models.PROTECT,
                                related_name="orders")
    contact = models.ForeignKey("customers.Contact", verbose_name=_("contact"), null=True,
                                blank=True, editable=False, on_delete=models.PROTECT,
                                related_name="orders")
    currency = models.CharField(_("currency"), max_length=3, editable=False,
                                validators=[validate_currency])
    subtotal = models.DecimalField(_("subtotal"), max_digits=18, decimal_places=2,
                                   default=Decimal(0), editable=False)
    discount_amount = models.DecimalField(_("discount"), max_digits=18, decimal_places=2,
                                          default=Decimal(0), editable=False)
    tax_amount = models.DecimalField(_("tax"), max_digits=18, decimal_places=2,
                                     default=Decimal(0), editable=False)
    total = models.DecimalField(_("total"), max_digits=18, decimal_places=2,
                                default=Decimal(0), editable=False)
    placed_at = models.DateTimeField(_("placed"), editable=False)
    notes = models.TextField(_("notes"), blank=True, max_length=10000)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [
            *OwnedRecord.Meta.indexes,
            models.Index(fields=["owner", "updated_at", "id"], name="order_owner"),
            models.Index(fields=["team", "updated_at", "id"], name="order_team"),
            models.Index(fields=["account", "placed_at"], name="order_account"),
            models.Index(fields=["contact", "placed_at"], name="order_contact"),
            models.Index(fields=["status", "placed_at"], name="order_status"),
        ]

    def __str__(self) -> str:
        return self.number or "—"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        if not self.number:
            self.number = f"O-{self.pk:06d}"
            type(self).all_objects.filter(pk=self.pk).update(number=self.number)


class OrderLine(RuleAdjusted):
    """A product bought, as it was on the quote."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    product = models.ForeignKey("sales.Product", verbose_name=_("product"),
                                on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("description"), max_length=500, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit_price = models.DecimalField(_("unit price"), max_digits=18, decimal_places=2)
    discount_percent = models.DecimalField(_("discount (%)"), max_digits=5, decimal_places=2,
                                           default=Decimal(0))
    tax_percent = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2,
                                      default=Decimal(0))
    net_amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "position", "id"]

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"
