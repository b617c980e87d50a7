"""Pricing and totals of quote lines: exact Decimal arithmetic, each amount rounded
half-even to the currency's minor unit (0 for JPY, 2 for THB, 3 for KWD…)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from babel.numbers import get_currency_precision

from amity.sales.models import PriceBook, Product
from amity.sales.pricing import unit_price

HUNDRED = Decimal(100)


def price_line(*, book: PriceBook, product: Product, quantity: Decimal,
               options: dict[str, Any] | None = None) -> Decimal:
    """The unit price of `product` for `quantity` in `book` (volume tiers apply); raises
    sales.pricing.NoPrice naming the product when the book has no price for it.

    The one place quotes ask for a price: the product configurator (options, price
    adjustments) plugs in here."""
    return unit_price(book=book, product=product, quantity=quantity)


def rule_problems(*, book: PriceBook, selection: list[tuple[Product, Decimal]],
                  only: tuple[str, ...] = ("requires", "excludes")) -> list[str]:
    """What the product configuration rules say against `selection` ((product, quantity)
    pairs), in words naming the products and the rule; only refusals of the `only` kinds
    (prices, tiers and validity are the quote's own checks)."""
    from amity.sales.configurator import configure

    result = configure(selection=selection, book=book, add_defaults=False)
    return [refusal.message for refusal in result.refusals if refusal.code in only]


def round_money(amount: Decimal, currency: str) -> Decimal:
    """`amount` rounded half-even to the minor unit of `currency`."""
    exponent = Decimal(1).scaleb(-get_currency_precision(currency))
    return amount.quantize(exponent, rounding=ROUND_HALF_EVEN)


def line_net(*, quantity: Decimal, unit_price: Decimal, discount_percent: Decimal,
             currency: str) -> Decimal:
    """A line's amount after its own discount."""
    return round_money(quantity * unit_price * (HUNDRED - discount_percent) / HUNDRED, currency)


@dataclass(frozen=True)
class Totals:
    list_amount: Decimal  # before any discount
    subtotal: Decimal  # after line discounts
    discount_amount: Decimal  # the quote-level discount
    tax_amount: Decimal
    total: Decimal
    # The largest discount given, in % of the list price: a line's own or the overall one.
    largest_discount: Decimal


def quote_totals(lines: list[Any], *, discount_percent: Decimal, tax_percent: Decimal,
                 currency: str) -> Totals:
    """Totals of `lines` (objects with quantity, unit_price, discount_percent, tax_percent,
    net_amount). Tax is rounded per line on the line's share after the quote discount."""
    list_amount = sum((line.quantity * line.unit_price for line in lines), Decimal(0))
    subtotal = sum((line.net_amount for line in lines), Decimal(0))
    discount = round_money(subtotal * discount_percent / HUNDRED, currency)
    keep = (HUNDRED - discount_percent) / HUNDRED
    tax = sum((round_money(line.net_amount * keep * _rate(line, tax_percent) / HUNDRED, currency)
               for line in lines), Decimal(0))
    net = subtotal - discount
    overall = (HUNDRED * (list_amount - net) / list_amount) if list_amount else Decimal(0)
    largest = max([overall, *(line.discount_percent for line in lines)])
    return Totals(list_amount=round_money(list_amount, currency), subtotal=subtotal,
                  discount_amount=discount, tax_amount=tax, total=net + tax,
                  largest_discount=largest.quantize(Decimal("0.0001")))


def _rate(line: Any, default: Decimal) -> Decimal:
    return default if line.tax_percent is None else line.tax_percent
