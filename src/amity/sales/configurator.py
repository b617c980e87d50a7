"""The product configurator: checks a selection of products against the configuration
rules, adds default options, applies price adjustments and prices every line from a
price book. It stores nothing; opportunity lines and quotes call it before they save.

    result = configure(selection=[(laptop, Decimal(2))], book=standard)
    if not result.ok:
        for refusal in result.refusals: print(refusal.message)   # in the active language
    for line in result.lines: line.product, line.quantity, line.unit_price, line.total
    result.total                                                 # Decimal, book currency
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from amity.sales.models import PriceBook, Product


@dataclass(frozen=True)
class Adjustment:
    """A price change a rule made on one line: `amount` is added to the line total
    (negative for a discount), `explanation` says which rule and why."""

    rule_id: int
    amount: Decimal
    explanation: str


@dataclass(frozen=True)
class ConfiguredLine:
    """One product of the configured selection, priced."""

    product: Product
    quantity: Decimal
    unit_price: Decimal  # the book's tier price for this quantity
    list_total: Decimal  # quantity × unit_price, rounded to cents
    adjustments: tuple[Adjustment, ...]
    total: Decimal  # list_total + adjustments, never below zero
    added_by_rule_id: int | None = None  # a default option added by this rule

    @property
    def adjustment_total(self) -> Decimal:
        return self.total - self.list_total


@dataclass(frozen=True)
class Refusal:
    """Why the selection cannot be accepted, in words naming the products and the rule.

    code: "requires", "excludes", "no_price", "inactive", "quantity" or "book"."""

    code: str
    message: str
    products: tuple[Product, ...] = ()
    rule_id: int | None = None


@dataclass
class Configuration:
    book: PriceBook
    lines: list[ConfiguredLine] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refusals

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal("0.00"))

    @property
    def currency(self) -> str:
        return self.book.currency


def configure(
    *,
    selection: list[tuple[Product, Decimal]],
    book: PriceBook,
    declined: Iterable[Product] = (),
    on: date | None = None,
) -> Configuration:
    """Validate and price `selection` ((product, quantity) pairs; a product given twice
    counts once with the quantities summed) with the book valid `on` (today if None).

    Default options from the rules are added unless the product is in `declined` (the
    user took it out); rules are then checked on the whole selection, adjustments
    applied, and each line priced from the book's volume tier for its quantity.
    A refused configuration still carries the lines that could be priced."""
    raise NotImplementedError
