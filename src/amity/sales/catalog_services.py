"""Keeping the catalogue: products, price books and their volume-tier prices.

The catalogue is organisation-wide data, not records with owners: everyone with sales
access reads the active products; administrators, and people whose role lets them change
every opportunity (sales managers), keep it."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from amity.core.access import grant_for
from amity.core.calendars import format_number
from amity.sales.models import PriceBook, PriceBookEntry, Product
from amity.sales.models.line_items import CENT, MAX_PRICE, MAX_QUANTITY

SALES_KIND = "sales.opportunity"
PRODUCT_FIELDS = ("code", "name", "family", "description", "unit", "active")
BOOK_FIELDS = ("name", "currency", "is_standard", "active", "valid_from", "valid_until")


def can_read_catalog(user) -> bool:
    return grant_for(user, SALES_KIND).view_scope != "none"


def can_edit_catalog(user) -> bool:
    """Administrators, and roles that may change every opportunity (sales managers)."""
    if getattr(user, "is_administrator", False):
        return True
    grant = grant_for(user, SALES_KIND)
    return grant.view_scope == "all" and grant.can_change and grant.can_delete


def products_visible(user) -> QuerySet[Product]:
    """Editors see the whole catalogue; other sales users its active products."""
    if can_edit_catalog(user):
        return Product.objects.all()
    return Product.objects.filter(active=True) if can_read_catalog(user) \
        else Product.objects.none()


def price_books_visible(user) -> QuerySet[PriceBook]:
    if can_edit_catalog(user):
        return PriceBook.objects.all()
    return PriceBook.objects.filter(active=True) if can_read_catalog(user) \
        else PriceBook.objects.none()


def _require_editor(user) -> None:
    if not can_edit_catalog(user):
        raise PermissionDenied


def _clean_text(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}


def _check_fields(data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError({name: [_("This field cannot be set.")] for name in unknown})


def product_save(*, user, data: dict[str, Any], product: Product | None = None) -> Product:
    """Create a product, or change the fields `data` gives of `product`."""
    _require_editor(user)
    _check_fields(data, PRODUCT_FIELDS)
    product = product or Product()
    for name, value in _clean_text(data).items():
        setattr(product, name, value)
    product.full_clean()
    with transaction.atomic():
        product.save()
    return product


def price_book_save(*, user, data: dict[str, Any], book: PriceBook | None = None) -> PriceBook:
    """Create a price book, or change the fields `data` gives of `book`."""
    _require_editor(user)
    _check_fields(data, BOOK_FIELDS)
    data = _clean_text(data)
    if isinstance(data.get("currency"), str):
        data["currency"] = data["currency"].upper()
    book = book or PriceBook()
    for name, value in data.items():
        setattr(book, name, value)
    book.full_clean()
    _check_book(book)
    with transaction.atomic():
        book.save()
    return book


def _check_book(book: PriceBook) -> None:
    if book.valid_from and book.valid_until and book.valid_until < book.valid_from:
        raise ValidationError({"valid_until": [_("The end of validity is before its start.")]})
    if not book.is_standard:
        return
    other = (PriceBook.objects.filter(currency=book.currency, is_standard=True)
             .exclude(pk=book.pk).first())
    if other is not None:
        raise ValidationError({"is_standard": [
            _("%(book)s is already the standard price book for %(currency)s.")
            % {"book": other, "currency": book.currency}]})


@dataclass(frozen=True)
class Tier:
    min_quantity: Decimal
    unit_price: Decimal


def tiers_set(*, user, book: PriceBook, product: Product,
              tiers: list[Tier]) -> list[PriceBookEntry]:
    """Replace the product's volume tiers in the book; all or nothing. An empty list
    takes the product out of the book."""
    _require_editor(user)
    errors = tier_errors(tiers)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        PriceBookEntry.objects.filter(price_book=book, product=product).delete()
        return PriceBookEntry.objects.bulk_create(
            PriceBookEntry(price_book=book, product=product, min_quantity=t.min_quantity,
                           unit_price=t.unit_price)
            for t in sorted(tiers, key=lambda t: t.min_quantity))


def tier_errors(tiers: list[Tier]) -> dict[str, list[str]]:
    """Errors keyed "tiers.<index>.<field>", as the API and the form show them."""
    errors: dict[str, list[str]] = {}
    starts: dict[Decimal, int] = {}
    for index, tier in enumerate(tiers):
        where = f"tiers.{index}"
        problem = _amount_problem(tier.min_quantity, MAX_QUANTITY)
        if problem:
            errors[f"{where}.min_quantity"] = [problem]
        elif tier.min_quantity in starts:
            errors[f"{where}.min_quantity"] = [
                _("Tier %(other)s already starts at %(quantity)s: each tier needs its own "
                  "starting quantity.") % {"other": starts[tier.min_quantity] + 1,
                                           "quantity": format_number(tier.min_quantity)}]
        else:
            starts[tier.min_quantity] = index
        problem = _amount_problem(tier.unit_price, MAX_PRICE)
        if problem:
            errors[f"{where}.unit_price"] = [problem]
    return errors


def _amount_problem(value: Decimal, maximum: Decimal) -> str | None:
    if not isinstance(value, Decimal) or not value.is_finite():
        return _("Give a number.")
    if value < 0:
        return _("It cannot be negative.")
    if value > maximum:
        return _("It is too large: at most %(max)s.") % {"max": format_number(maximum)}
    if value != value.quantize(CENT):
        return _("Use at most two decimals.")
    return None


def tiers_of(*, book: PriceBook, product: Product) -> list[PriceBookEntry]:
    return list(PriceBookEntry.objects.filter(price_book=book, product=product)
                .order_by("min_quantity"))
