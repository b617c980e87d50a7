"""Opportunity line items: products priced from the opportunity's price book.

Lines are changed only through an opportunity the user may edit; the opportunity's
amount follows the sum of its lines while it has any. Each change locks the
opportunity row so two reps adding lines at once still get the right amount."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from amity.core.services import record_update
from amity.sales import catalog_services as catalog
from amity.sales.configurator import Configuration, configure
from amity.sales.models import Opportunity, OpportunityLine, PriceBook, Product
from amity.sales.models.line_items import CENT, MAX_PRICE, MAX_QUANTITY
from amity.sales.pricing import NoPrice, unit_price

LINE_FIELDS = ("quantity", "unit_price", "discount_percent")


def _locked(opportunity: Opportunity, user) -> Opportunity:
    """The opportunity, re-read and locked for this transaction, if the user may edit it."""
    locked = (Opportunity.objects.editable_by(user).select_for_update()
              .filter(pk=opportunity.pk).first())
    if locked is None:
        raise PermissionDenied
    return locked


def price_book_set(*, opportunity: Opportunity, user, book: PriceBook | None) -> Opportunity:
    """Choose the book the opportunity's lines are priced from (in its currency)."""
    if book is not None and not catalog.price_books_visible(user).filter(pk=book.pk).exists():
        raise ValidationError({"price_book": [_("Select a valid choice.")]})
    if book is not None and book.currency != opportunity.currency:
        raise ValidationError({"price_book": [
            _("The price book is in %(book)s but the opportunity is in %(currency)s.")
            % {"book": book.currency, "currency": opportunity.currency}]})
    with transaction.atomic():
        locked = _locked(opportunity, user)
        if locked.price_book_id != (book and book.pk) and locked.lines.exists():
            raise ValidationError({"price_book": [
                _("Remove the lines before choosing another price book: they are priced "
                  "from %(book)s.") % {"book": locked.price_book}]})
        return record_update(record=locked, user=user, data={"price_book": book})


def book_for(opportunity: Opportunity) -> PriceBook | None:
    """The opportunity's price book, or the active standard book in its currency."""
    if opportunity.price_book_id:
        return opportunity.price_book
    return PriceBook.objects.filter(currency=opportunity.currency, is_standard=True,
                                    active=True).first()


def _book(locked: Opportunity, user) -> PriceBook:
    book = book_for(locked)
    if book is None:
        raise ValidationError({"price_book": [
            _("Choose a price book in %(currency)s first.") % {"currency": locked.currency}]})
    if locked.price_book_id is None:
        record_update(record=locked, user=user, data={"price_book": book})
    return book


def line_add(*, opportunity: Opportunity, user, product: Product, quantity: Decimal,
             unit_price: Decimal | None = None,
             discount_percent: Decimal = Decimal(0)) -> OpportunityLine:
    """Add a product to the opportunity, priced from its book's tier for the quantity
    unless a unit price is given; refused if a rule excludes it with a line already there."""
    _check_values({"quantity": quantity, "unit_price": unit_price,
                   "discount_percent": discount_percent})
    if not catalog.products_visible(user).filter(pk=product.pk, active=True).exists():
        raise ValidationError({"product": [_("Select a valid choice.")]})
    with transaction.atomic():
        locked = _locked(opportunity, user)
        book = _book(locked, user)
        list_price = _list_price(book, product, quantity)
        _check_exclusions(locked, book, product, quantity)
        position = (locked.lines.aggregate(top=Max("position"))["top"] or 0) + 1
        line = OpportunityLine(opportunity=locked, product=product, quantity=quantity,
                               list_price=list_price, position=position,
                               unit_price=list_price if unit_price is None else unit_price,
                               discount_percent=discount_percent)
        _save(line)
        _follow_lines(locked, user)
    return line


def line_update(*, line: OpportunityLine, user, data: dict[str, Any]) -> OpportunityLine:
    """Change a line's quantity, unit price or discount. A line still at its list price
    is re-priced from the tier its new quantity reaches."""
    unknown = sorted(set(data) - set(LINE_FIELDS))
    if unknown:
        raise ValidationError({name: [_("This field cannot be set.")] for name in unknown})
    _check_values(data)
    with transaction.atomic():
        locked = _locked(line.opportunity, user)
        line = locked.lines.select_related("product").get(pk=line.pk)
        at_list_price = line.unit_price == line.list_price
        for name, value in data.items():
            setattr(line, name, value)
        if "quantity" in data:
            line.list_price = _list_price(_book(locked, user), line.product, line.quantity)
            if at_list_price and "unit_price" not in data:
                line.unit_price = line.list_price
        _save(line)
        _follow_lines(locked, user)
    return line


def line_delete(*, line: OpportunityLine, user) -> None:
    """Remove a line; the amount follows the remaining lines (or stays, if none remain)."""
    with transaction.atomic():
        locked = _locked(line.opportunity, user)
        locked.lines.filter(pk=line.pk).delete()
        _follow_lines(locked, user)


def lines_configure(*, opportunity: Opportunity, user,
                    selection: list[tuple[Product, Decimal]],
                    declined: list[Product] = ()) -> Configuration:
    """Replace the opportunity's lines with a configured selection (defaults added,
    adjustments applied); nothing changes when the configurator refuses it."""
    visible = catalog.products_visible(user)
    if any(not visible.filter(pk=p.pk).exists() for p, _q in selection):
        raise ValidationError({"lines": [_("Select a valid choice.")]})
    with transaction.atomic():
        locked = _locked(opportunity, user)
        result = configure(selection=selection, book=_book(locked, user), declined=declined)
        if not result.ok:
            transaction.set_rollback(True)
            return result
        locked.lines.all().delete()
        for position, configured in enumerate(result.lines, start=1):
            notes = " ".join(a.explanation for a in configured.adjustments)
            _save(OpportunityLine(
                opportunity=locked, product=configured.product, quantity=configured.quantity,
                list_price=configured.unit_price, unit_price=configured.unit_price,
                adjustment=configured.adjustment_total, adjustment_note=notes[:500],
                position=position))
        _follow_lines(locked, user)
    return result


def current_configuration(opportunity: Opportunity) -> Configuration | None:
    """The configurator's view of the lines as they stand (its refusals are warnings)."""
    book = book_for(opportunity)
    if book is None:
        return None
    lines = opportunity.lines.select_related("product")
    # Defaults are suggestions while configuring; the lines as they stand are checked
    # without them, so no warning counts a product the rep never chose.
    return configure(selection=[(line.product, line.quantity) for line in lines], book=book,
                     add_defaults=False)


def _list_price(book: PriceBook, product: Product, quantity: Decimal) -> Decimal:
    try:
        return unit_price(book=book, product=product, quantity=quantity)
    except NoPrice as missing:
        raise ValidationError({"product": [str(missing)]}) from missing


def _check_exclusions(locked: Opportunity, book: PriceBook, product: Product,
                      quantity: Decimal) -> None:
    """Adding one line at a time cannot satisfy every "requires" at once (that is the
    configurator's job), but a combination a rule excludes is refused straight away."""
    selection = [(line.product, line.quantity) for line in locked.lines.select_related("product")]
    result = configure(selection=[*selection, (product, quantity)], book=book,
                       add_defaults=False)
    refused = [r.message for r in result.refusals
               if r.code == "excludes" and product in r.products]
    if refused:
        raise ValidationError({"product": refused})


def _check_values(data: dict[str, Any]) -> None:
    limits = {"quantity": (CENT, MAX_QUANTITY), "unit_price": (Decimal(0), MAX_PRICE),
              "discount_percent": (Decimal(0), Decimal(100))}
    errors = {}
    for name, value in data.items():
        if value is None and name == "unit_price":
            continue
        low, high = limits[name]
        if not isinstance(value, Decimal) or not value.is_finite():
            errors[name] = [_("Give a number.")]
        elif not low <= value <= high:
            errors[name] = [_("Give a number from %(low)s to %(high)s.")
                            % {"low": low, "high": high}]
        elif value != value.quantize(CENT):
            errors[name] = [_("Use at most two decimals.")]
    if errors:
        raise ValidationError(errors)


def _save(line: OpportunityLine) -> None:
    line.total = line.compute_total()
    if line.total > MAX_PRICE:
        raise ValidationError({"quantity": [
            _("The line total would be too large: lower the quantity or the price.")]})
    line.full_clean(exclude=["opportunity", "product"])
    line.save()


def _follow_lines(locked: Opportunity, user) -> None:
    # Summed in Python: SQLite sums decimals as floats (11674.990000000002).
    totals = list(locked.lines.values_list("total", flat=True))
    total = sum(totals, Decimal("0.00"))
    if totals and total != locked.amount:
        record_update(record=locked, user=user, data={"amount": total})
