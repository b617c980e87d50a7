"""Products and the price books that price them in each currency, with volume tiers."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from amity.core.money import validate_currency


class Product(models.Model):
    """Something the organisation sells; administrators keep the catalogue."""

    code = models.CharField(_("product code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    family = models.CharField(_("product family"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class PriceBook(models.Model):
    """A list of prices in one currency (standard, partner, a region's…)."""

    name = models.CharField(_("name"), max_length=100)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency],
                                help_text=_("ISO code, e.g. THB"))
    is_standard = models.BooleanField(_("standard"), default=False)
    active = models.BooleanField(_("active"), default=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("price book")
        verbose_name_plural = _("price books")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name", "currency"], name="price_book_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.currency})"


class PriceBookEntry(models.Model):
    """A product's unit price in a price book from a minimum quantity up (volume tiers:
    several entries for one product, the highest min_quantity not above the quantity
    wins)."""

    price_book = models.ForeignKey(PriceBook, verbose_name=_("price book"),
                                   on_delete=models.CASCADE, related_name="entries")
    product = models.ForeignKey(Product, verbose_name=_("product"),
                                on_delete=models.CASCADE, related_name="prices")
    min_quantity = models.DecimalField(_("from quantity"), max_digits=12, decimal_places=2,
                                       default=Decimal(1),
                                       validators=[MinValueValidator(Decimal(0))])
    unit_price = models.DecimalField(_("unit price"), max_digits=18, decimal_places=2,
                                     validators=[MinValueValidator(Decimal(0))])

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        ordering = ["price_book", "product", "min_quantity"]
        constraints = [
            models.UniqueConstraint(fields=["price_book", "product", "min_quantity"],
                                    name="price_tier"),
        ]

    def __str__(self) -> str:
        return f"{self.product} ≥ {self.min_quantity}: {self.unit_price}"
