"""Pricing and totals of quote lines: exact Decimal arithmetic, each amount rounded
half-even to the currency's minor unit (0 for JPY, 2 for THB, 3 for KWD…)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from babel.numbers import get_currency_precision

from amity.sales.models import PriceBook, Product
from amity.sales.pricing import unit_price

HUNDRED = Decimal(100)


def price_line(*, book: PriceBook, product: Product, quantity: Decimal) -> Decimal:
    """The unit price of `product` for `quantity` in `book` (volume tiers apply); raises
    sales.pricing.NoPrice naming the product when the book has no price for it."""
    return unit_price(book=book, product=product, quantity=quantity)


@dataclass(frozen=True)
class RuleVerdict:
    """What the configuration rules say about a quote's lines."""

    problems: list[str]  # refusals, in words naming the products and the rule
    # product id → (amount added to its line, negative for a discount; the explanation)
    adjustments: dict[int, tuple[Decimal, str]]


def apply_rules(*, book: PriceBook, selection: list[tuple[Product, Decimal]],
                only: tuple[str, ...] = ("requires", "excludes")) -> RuleVerdict:
    """Check `selection` ((product, quantity) pairs) against the product configuration
    rules: the refusals of the `only` kinds (prices, tiers and validity are the quote's
    own checks) and the price adjustments the rules make."""
    from amity.sales.configurator import configure

    result = configure(selection=selection, book=book, add_defaults=False)
    return RuleVerdict(
        problems=[refusal.message for refusal in result.refusals if refusal.code in only],
        adjustments={line.product.pk: (line.adjustment_total,
                                       " ".join(a.explanation for a in line.adjustments))
                     for line in result.lines if line.adjustments})


def round_money(amount: Decimal, currency: str) -> Decimal:
    """`amount` rounded half-even to the minor unit of `currency`."""
    exponent = Decimal(1).scaleb(-get_currency_precision(currency))
    return amount.quantize(exponent, rounding=ROUND_HALF_EVEN)


def line_net(*, quantity: Decimal, unit_price: Decimal, discount_percent: Decimal,
             currency: str, adjustment: Decimal = Decimal(0)) -> Decimal:
    """A line's amount after its own discount, plus the rules' adjustment (as opportunity
    lines count it); never below zero."""
    discounted = quantity * unit_price * (HUNDRED - discount_percent) / HUNDRED
    return max(round_money(discounted + adjustment, currency), Decimal(0))


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
    """Totals of `lines` (objects with quantity, unit_price, adjustment, discount_percent,
    tax_percent, net_amount). Tax is rounded per line on the line's share after the quote
    discount. The rules' adjustments are part of the list price: a discount the rules give
    needs no approval."""
    list_amount = sum((line.quantity * line.unit_price + line.adjustment for line in lines),
                      Decimal(0))
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
