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

from django.utils import timezone

from amity.sales import configuration_explain as explain
from amity.sales.models import ConfigurationRule, PriceBook, Product
from amity.sales.models.configuration import Action, AdjustBy, Condition
from amity.sales.models.line_items import CENT, MAX_QUANTITY, money
from amity.sales.pricing import NoPrice, unit_price


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
    add_defaults: bool = True,
    on: date | None = None,
) -> Configuration:
    """Validate and price `selection` ((product, quantity) pairs; a product given twice
    counts once with the quantities summed) with the book valid `on` (today if None).

    Default options from the rules are added unless the product is in `declined` (the
    user took it out) or when `add_defaults` is false (checking lines already chosen);
    rules are then checked on the whole selection, adjustments
    applied, and each line priced from the book's volume tier for its quantity.
    A refused configuration still carries the lines that could be priced."""
    result = Configuration(book=book)
    chosen = _merge(selection, result.refusals)
    rules = list(ConfigurationRule.objects.filter(active=True)
                 .select_related("if_product", "then_product", "else_product"))
    if add_defaults:
        _add_defaults(chosen, rules, declined={p.pk for p in declined})
    result.refusals.extend(_check_book(book, on or timezone.localdate()))
    result.refusals.extend(rule_refusals(chosen, rules))
    priced = _price(chosen, book, result.refusals)
    adjustments = _adjustments(chosen, rules, priced, book.currency)
    result.lines = [_line(pick, price, adjustments.get(pid, ()))
                    for pid, (pick, price) in priced.items()]
    return result


@dataclass
class Pick:
    """A product in the selection being configured."""

    product: Product
    quantity: Decimal
    added_by_rule_id: int | None = None


def _merge(selection: list[tuple[Product, Decimal]], refusals: list[Refusal]) -> dict[int, Pick]:
    chosen: dict[int, Pick] = {}
    for product, quantity in selection:
        if not _valid_quantity(quantity):
            refusals.append(Refusal("quantity", explain.bad_quantity(product), (product,)))
            continue
        if product.pk in chosen:
            chosen[product.pk].quantity += quantity
        else:
            chosen[product.pk] = Pick(product, quantity)
    return chosen


def _valid_quantity(quantity: Decimal) -> bool:
    return (isinstance(quantity, Decimal) and quantity.is_finite()
            and CENT <= quantity <= MAX_QUANTITY and quantity == quantity.quantize(CENT))


def is_met(rule: ConfigurationRule, chosen: dict[int, Pick]) -> bool:
    """Whether the rule's condition holds for the selection."""
    pick = chosen.get(rule.if_product_id)
    if pick is None:
        return False
    return rule.condition == Condition.SELECTED or pick.quantity >= rule.min_quantity


def _add_defaults(chosen: dict[int, Pick], rules: list[ConfigurationRule], *,
                  declined: set[int]) -> None:
    # Each pass adds at least one product that was absent, so chains of defaults end
    # (even a cycle A adds B, B adds A) after at most as many passes as products.
    added = True
    while added:
        added = False
        for rule in rules:
            outcome = rule.outcome(is_met(rule, chosen))
            if outcome.action != Action.ADD_DEFAULT:
                continue
            product = outcome.product
            if product.pk not in chosen and product.pk not in declined:
                chosen[product.pk] = Pick(product, outcome.quantity, rule.pk)
                added = True


def _check_book(book: PriceBook, on: date) -> list[Refusal]:
    valid = (book.active and (book.valid_from is None or book.valid_from <= on)
             and (book.valid_until is None or on <= book.valid_until))
    return [] if valid else [Refusal("book", explain.book_not_valid(book, on))]


def rule_refusals(chosen: dict[int, Pick], rules: list[ConfigurationRule]) -> list[Refusal]:
    """What the requires and excludes rules refuse in the selection, explained."""
    refusals, excluded_pairs = [], set()
    for rule in rules:
        met = is_met(rule, chosen)
        outcome = rule.outcome(met)
        if outcome.action == Action.REQUIRES and outcome.product.pk not in chosen:
            missing = _still_needed(outcome.product, chosen, rules)
            refusals.append(Refusal("requires", explain.requires(rule, met, outcome.product,
                                                                  missing),
                                    (rule.if_product, *missing), rule.pk))
        elif outcome.action == Action.EXCLUDES and outcome.product.pk in chosen:
            pair = frozenset((rule.if_product_id, outcome.product.pk))
            if pair in excluded_pairs:
                continue  # "A excludes C" and "C excludes A" are one refusal
            excluded_pairs.add(pair)
            refusals.append(Refusal("excludes", explain.excludes(rule, met, outcome.product),
                                    (rule.if_product, outcome.product), rule.pk))
    return refusals


def _still_needed(product: Product, chosen: dict[int, Pick],
                  rules: list[ConfigurationRule]) -> list[Product]:
    """`product` and what it requires in turn (when merely selected), not yet chosen.
    A visited set stops cycles of requirements (A needs B, B needs A)."""
    needs = {}
    for rule in rules:
        if rule.condition == Condition.SELECTED and rule.then_action == Action.REQUIRES:
            needs.setdefault(rule.if_product_id, []).append(rule.then_product)
    missing, todo, seen = [], [product], set(chosen)
    while todo:
        current = todo.pop(0)
        if current.pk in seen:
            continue
        seen.add(current.pk)
        missing.append(current)
        todo.extend(needs.get(current.pk, ()))
    return missing


def _price(chosen: dict[int, Pick], book: PriceBook,
           refusals: list[Refusal]) -> dict[int, tuple[Pick, Decimal]]:
    priced = {}
    for pid, pick in chosen.items():
        if not pick.product.active:
            refusals.append(Refusal("inactive", explain.inactive(pick.product), (pick.product,)))
            continue
        try:
            price = unit_price(book=book, product=pick.product, quantity=pick.quantity)
        except NoPrice as missing:
            refusals.append(Refusal("no_price", str(missing), (pick.product,)))
            continue
        priced[pid] = (pick, price)
    return priced


def _adjustments(chosen: dict[int, Pick], rules: list[ConfigurationRule],
                 priced: dict[int, tuple[Pick, Decimal]],
                 currency: str) -> dict[int, list[Adjustment]]:
    """Each price adjustment on the line it targets, computed on the list price so the
    result does not depend on the order of the rules."""
    found: dict[int, list[Adjustment]] = {}
    for rule in rules:
        met = is_met(rule, chosen)
        outcome = rule.outcome(met)
        target = outcome.product or rule.if_product
        if outcome.action != Action.ADJUST_PRICE or target.pk not in priced:
            continue
        pick, price = priced[target.pk]
        if outcome.adjust_by == AdjustBy.PERCENT:
            amount = money(pick.quantity * price * outcome.adjust_value / 100)
        else:
            amount = money(pick.quantity * outcome.adjust_value)
        text = explain.adjustment(rule, met, target, outcome, amount, currency)
        found.setdefault(target.pk, []).append(Adjustment(rule.pk, amount, text))
    return found


def _line(pick: Pick, price: Decimal, adjustments: list[Adjustment]) -> ConfiguredLine:
    list_total = money(pick.quantity * price)
    total = max(list_total + sum(a.amount for a in adjustments), Decimal("0.00"))
    return ConfiguredLine(pick.product, pick.quantity, price, list_total, tuple(adjustments),
                          total, pick.added_by_rule_id)
