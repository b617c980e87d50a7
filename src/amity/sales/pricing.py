"""A product's price in a price book for a quantity: the volume tier it falls in."""

from decimal import Decimal

from django.utils.translation import gettext as _

from amity.sales.models import PriceBook, PriceBookEntry, Product


class NoPrice(LookupError):
    """The product has no price in the book (or none for so few units)."""

    def __init__(self, product: Product, book: PriceBook):
        super().__init__(_("%(product)s has no price in %(book)s.")
                         % {"product": product, "book": book})
        self.product, self.book = product, book


def unit_price(*, book: PriceBook, product: Product, quantity: Decimal) -> Decimal:
    """The unit price of the highest tier whose minimum quantity `quantity` reaches."""
    price = (PriceBookEntry.objects
             .filter(price_book=book, product=product, min_quantity__lte=quantity)
             .order_by("-min_quantity").values_list("unit_price", flat=True).first())
    if price is None:
        raise NoPrice(product, book)
    return price
