"""The configurator's explanations, in the active language: each names the products,
the rule and what to do, so a rep can fix a refused selection without asking."""

from datetime import date
from decimal import Decimal

from babel.lists import format_list
from babel.numbers import format_currency
from django.utils.translation import gettext as _

from amity.core.calendars import PERSIAN_DIGITS, babel_locale, format_date, format_number
from amity.sales.models import ConfigurationRule, PriceBook, Product
from amity.sales.models.configuration import AdjustBy, Condition, Outcome


def rule_name(rule: ConfigurationRule) -> str:
    return str(rule)


def condition(rule: ConfigurationRule, met: bool) -> str:
    """The rule's condition as it stands for the selection ("X is not selected")."""
    values = {"product": rule.if_product.name,
              "quantity": format_number(rule.min_quantity)}
    if rule.condition == Condition.SELECTED:
        text = _("%(product)s is selected") if met else _("%(product)s is not selected")
    elif met:
        text = _("%(product)s is selected with %(quantity)s or more units")
    else:
        text = _("%(product)s has fewer than %(quantity)s units")
    return text % values


def names(products: list[Product]) -> str:
    return format_list([p.name for p in products], locale=babel_locale())


def requires(rule: ConfigurationRule, met: bool, needed: Product,
             missing: list[Product]) -> str:
    return _("Because %(condition)s, %(needed)s is needed too (rule “%(rule)s”). "
             "Add %(missing)s.") % {"condition": condition(rule, met), "needed": needed.name,
                                    "rule": rule_name(rule), "missing": names(missing)}


def excludes(rule: ConfigurationRule, met: bool, excluded: Product) -> str:
    return _("Because %(condition)s, %(excluded)s cannot be part of the selection "
             "(rule “%(rule)s”). Remove one of them.") % {
        "condition": condition(rule, met), "excluded": excluded.name, "rule": rule_name(rule)}


def adjustment(rule: ConfigurationRule, met: bool, target: Product, outcome: Outcome,
               amount: Decimal, currency: str) -> str:
    values = {"condition": condition(rule, met), "product": target.name, "rule": rule_name(rule),
              "amount": money_text(abs(amount), currency),
              "percent": format_number(abs(outcome.adjust_value))}
    discount = outcome.adjust_value < 0
    if outcome.adjust_by == AdjustBy.PERCENT and discount:
        text = _("%(percent)s%% discount on %(product)s (%(amount)s) because %(condition)s "
                 "(rule “%(rule)s”).")
    elif outcome.adjust_by == AdjustBy.PERCENT:
        text = _("%(percent)s%% surcharge on %(product)s (%(amount)s) because %(condition)s "
                 "(rule “%(rule)s”).")
    elif discount:
        text = _("Discount of %(amount)s on %(product)s because %(condition)s "
                 "(rule “%(rule)s”).")
    else:
        text = _("Surcharge of %(amount)s on %(product)s because %(condition)s "
                 "(rule “%(rule)s”).")
    return text % values


def money_text(amount: Decimal, currency: str) -> str:
    """An amount with its currency in the active language (Persian digits in Persian)."""
    locale = babel_locale()
    text = format_currency(amount, currency, locale=locale, numbering_system="default")
    return text.translate(PERSIAN_DIGITS) if locale == "fa" else text


def bad_quantity(product: Product) -> str:
    return _("The quantity of %(product)s must be between 0.01 and 9,999,999,999, with at "
             "most two decimals.") % {"product": product.name}


def inactive(product: Product) -> str:
    return _("%(product)s is no longer sold: remove it.") % {"product": product.name}


def book_not_valid(book: PriceBook, on: date) -> str:
    return _("The price book %(book)s is not valid on %(date)s: choose another.") % {
        "book": book, "date": format_date(on)}



def _action(rule: ConfigurationRule, met: bool) -> str:
    outcome = rule.outcome(met)
    product = outcome.product.name if outcome.product else ""
    value = format_number(outcome.adjust_value)
    texts = {
        "": _("nothing"),
        "requires": _("requires %(product)s"),
        "excludes": _("excludes %(product)s"),
        "add_default": _("adds %(quantity)s × %(product)s by default"),
        "adjust_price": (_("adjusts the price of %(product)s by %(value)s %%")
                         if outcome.adjust_by == AdjustBy.PERCENT else
                         _("adjusts the price of %(product)s by %(value)s per unit")),
    }
    return texts[outcome.action] % {"product": product or rule.if_product.name,
                                    "quantity": format_number(outcome.quantity), "value": value}


def describe(rule: ConfigurationRule) -> str:
    """The whole rule in words: "If X is selected then requires Y, else nothing"."""
    if rule.condition == Condition.SELECTED:
        when = _("If %(product)s is selected") % {"product": rule.if_product.name}
    else:
        when = _("If %(product)s has %(quantity)s or more units") % {
            "product": rule.if_product.name, "quantity": format_number(rule.min_quantity)}
    return _("%(when)s then %(then)s, else %(else)s.") % {
        "when": when, "then": _action(rule, True), "else": _action(rule, False)}
