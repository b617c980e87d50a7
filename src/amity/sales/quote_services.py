"""Quote operations the UI, the API and automation call: create, change, price lines,
approve or reject a discount, revise into a new version. Sending and the customer's
answer live in quote_links."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.core.services import record_create, record_update
from amity.events.kinds import register_event_kind
from amity.events.services import publish
from amity.sales.models import Product, Quote, QuoteLine, QuoteStatus
from amity.sales.models.quotes import PERCENT, QUANTITY
from amity.sales.pricing import NoPrice
from amity.sales.quote_lines import apply_rules, line_net, price_line, quote_totals

MAX_LINES = 500
QUOTE_EVENTS = {
    "quote.approval_requested": gettext_lazy("Quote discount needs approval"),
    "quote.approved": gettext_lazy("Quote approved"),
    "quote.rejected": gettext_lazy("Quote discount rejected"),
    "quote.sent": gettext_lazy("Quote sent"),
    "quote.accepted": gettext_lazy("Quote accepted"),
    "quote.declined": gettext_lazy("Quote declined"),
    "quote.expired": gettext_lazy("Quote expired"),
    "quote.revised": gettext_lazy("Quote revised"),
}


def describe_quote_event(event) -> str:
    """A quote event's line on a timeline: its number, and the comment or reason given."""
    payload = event.payload or {}
    said = payload.get("comment") or payload.get("reason") or ""
    return " · ".join(str(part) for part in (payload.get("number"), said) if part)


for _kind, _label in QUOTE_EVENTS.items():
    register_event_kind(_kind, _label, describe_quote_event)


def approval_threshold() -> Decimal:
    """Discounts (%) above this need a manager's approval (QUOTE_APPROVAL_DISCOUNT)."""
    return Decimal(str(settings.QUOTE_APPROVAL_DISCOUNT))


def may_approve(user) -> bool:
    """Sales managers and administrators approve discounts."""
    return bool(user.is_administrator or (user.role and user.role.key == "sales_manager"))


def publish_to_customer(record, kind: str, actor, payload: dict[str, Any]) -> None:
    """`kind` on `record` and on its account and contact, so their timelines and
    analytics see it."""
    publish(subject=record, kind=kind, actor=actor, payload=payload)
    for customer in (record.account, record.contact):
        if customer is not None:
            publish(subject=customer, kind=kind, actor=actor, payload=payload)


def _editable(quote: Quote, user) -> Quote:
    """The quote locked for change; 404 if the user may not see it, refused if it is sent,
    answered or an old version."""
    found = Quote.objects.visible_to(user).select_for_update(of=("self",)) \
        .filter(pk=quote.pk).first()
    if found is None:
        raise ObjectDoesNotExist
    if not Quote.objects.editable_by(user).filter(pk=quote.pk).exists():
        raise PermissionDenied
    if not found.is_editable:
        raise ValidationError({"status": [_(
            "A quote that is %(status)s cannot be changed; revise it to make a new version.")
            % {"status": found.get_status_display().lower()}]})
    return found


def with_currency(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with the currency of its opportunity or price book when none is given."""
    if data.get("currency"):
        return data
    source = data.get("opportunity") or data.get("price_book")
    return {**data, "currency": getattr(source, "currency", "")}


def quote_create(*, user, data: dict[str, Any]) -> Quote:
    """A draft quote (lines come next); the price book's currency must be the quote's."""
    return record_create(model=Quote, user=user, data=with_currency(data))


def quote_update(*, quote: Quote, user, data: dict[str, Any],
                 version: int | None = None) -> Quote:
    """Change a quote's terms, discount or tax while it is editable; totals follow."""
    with transaction.atomic():
        _editable(quote, user)
        quote = record_update(record=quote, user=user, data=with_currency(data)
                              if "price_book" in data else data, version=version)
        if {"price_book", "currency"} & set(data) and quote.lines.exists():
            # Another book prices every line again (or names the product it lacks).
            lines = [line_values(line) for line in quote.lines.select_related("product")]
            return quote_set_lines(quote=quote, user=user, lines=lines)
        _recalculate(quote, user)
    return quote


def _decimal(value: Any, field: str, validators) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: [_("Enter a number.")]}) from None
    if not number.is_finite() or number != number.quantize(Decimal("0.01")):
        raise ValidationError({field: [_("Enter a number with at most two decimals.")]})
    for check in validators:
        try:
            check(number)
        except ValidationError as exc:
            raise ValidationError({field: exc.messages}) from None
    return number


def _line(quote: Quote, index: int, data: dict[str, Any]) -> QuoteLine:
    """One priced line from what the caller gave (product, quantity, discount_percent,
    tax_percent, description); errors name the line ("lines.2.quantity")."""
    prefix = f"lines.{index}."
    product = data.get("product")
    if not isinstance(product, Product):
        product = Product.objects.filter(pk=product, active=True).first() \
            if isinstance(product, int) and not isinstance(product, bool) else None
    if product is None or not product.active:
        raise ValidationError({prefix + "product": [_("Select an active product.")]})
    quantity = _decimal(data.get("quantity", 1), prefix + "quantity", QUANTITY)
    discount = _decimal(data.get("discount_percent") or 0, prefix + "discount_percent", PERCENT)
    tax = data.get("tax_percent")
    tax = None if tax in (None, "") else _decimal(tax, prefix + "tax_percent", PERCENT)
    description = str(data.get("description") or "")[:500]
    try:
        price = price_line(book=quote.price_book, product=product, quantity=quantity)
    except NoPrice as exc:
        raise ValidationError({prefix + "product": [str(exc)]}) from None
    return QuoteLine(quote=quote, position=index, product=product, description=description,
                     quantity=quantity, unit_price=price, discount_percent=discount,
                     tax_percent=tax, net_amount=line_net(
                         quantity=quantity, unit_price=price, discount_percent=discount,
                         currency=quote.currency))


def quote_set_lines(*, quote: Quote, user, lines: list[dict[str, Any]]) -> Quote:
    """Replace the quote's lines, priced from its price book; a product without a price
    is refused by name and nothing is saved."""
    if len(lines) > MAX_LINES:
        raise ValidationError({"lines": [_("A quote has at most %(max)s lines.")
                                         % {"max": MAX_LINES}]})
    with transaction.atomic():
        quote = _editable(quote, user)
        priced = [_line(quote, index, data) for index, data in enumerate(lines)]
        # A combination a rule excludes is refused at once; a product another one requires
        # may still be added after it (sending checks that, see quote_links).
        verdict = apply_rules(book=quote.price_book, only=("excludes",),
                              selection=[(line.product, line.quantity) for line in priced])
        if verdict.problems:
            raise ValidationError({"lines": verdict.problems})
        _adjust(priced, verdict.adjustments, quote.currency)
        quote.lines.all().delete()
        QuoteLine.objects.bulk_create(priced)
        _recalculate(quote, user)
    return quote


def _adjust(lines: list[QuoteLine], adjustments: dict[int, tuple[Decimal, str]],
            currency: str) -> None:
    """Put each product's rule adjustment on its first line (the rules see a product
    listed twice as one quantity) and price that line again."""
    for line in lines:
        if line.product_id not in adjustments:
            continue
        line.adjustment, note = adjustments.pop(line.product_id)
        line.adjustment_note = note[:500]
        line.net_amount = line_net(quantity=line.quantity, unit_price=line.unit_price,
                                   discount_percent=line.discount_percent, currency=currency,
                                   adjustment=line.adjustment)


def line_values(line: QuoteLine) -> dict[str, Any]:
    """A stored line as quote_set_lines takes it."""
    return {"product": line.product, "quantity": line.quantity, "description": line.description,
            "discount_percent": line.discount_percent, "tax_percent": line.tax_percent}


def quote_line_add(*, quote: Quote, user, line: dict[str, Any]) -> Quote:
    """Add one line after the others."""
    existing = [line_values(each) for each in quote.lines.select_related("product")]
    return quote_set_lines(quote=quote, user=user, lines=[*existing, line])


def quote_line_remove(*, quote: Quote, user, line_id: int) -> Quote:
    """Remove one line."""
    kept = [line_values(each) for each in quote.lines.select_related("product")
            if each.pk != line_id]
    return quote_set_lines(quote=quote, user=user, lines=kept)


def _recalculate(quote: Quote, user) -> None:
    """Store the totals and whether the discount now needs approval."""
    totals = quote_totals(list(quote.lines.all()), discount_percent=quote.discount_percent,
                          tax_percent=quote.tax_percent, currency=quote.currency)
    quote.subtotal, quote.discount_amount = totals.subtotal, totals.discount_amount
    quote.tax_amount, quote.total = totals.tax_amount, totals.total
    before = quote.status
    if totals.largest_discount <= approval_threshold():
        quote.status = QuoteStatus.DRAFT
    elif before != QuoteStatus.APPROVED or totals.largest_discount > quote.approved_discount:
        quote.status = QuoteStatus.PENDING_APPROVAL
    quote.save(update_fields=["subtotal", "discount_amount", "tax_amount", "total", "status",
                              "updated_at"])
    if quote.status == QuoteStatus.PENDING_APPROVAL and before != quote.status:
        publish(subject=quote, kind="quote.approval_requested", actor=user,
                payload={"discount": str(totals.largest_discount)})


def _pending(quote: Quote, user) -> Quote:
    if not may_approve(user):
        raise PermissionDenied
    found = Quote.objects.visible_to(user).select_for_update(of=("self",)) \
        .filter(pk=quote.pk).first()
    if found is None:
        raise ObjectDoesNotExist
    if found.status != QuoteStatus.PENDING_APPROVAL:
        raise ValidationError({"status": [_("This quote is not waiting for approval.")]})
    return found


def quote_approve(*, quote: Quote, user, comment: str = "") -> Quote:
    """A manager approves the discount as it stands; the quote may then be sent."""
    with transaction.atomic():
        quote = _pending(quote, user)
        totals = quote_totals(list(quote.lines.all()), discount_percent=quote.discount_percent,
                              tax_percent=quote.tax_percent, currency=quote.currency)
        quote.status, quote.approved_by = QuoteStatus.APPROVED, user
        quote.approved_discount, quote.approval_comment = totals.largest_discount, comment
        quote.save(update_fields=["status", "approved_by", "approved_discount",
                                  "approval_comment", "updated_at"])
        publish(subject=quote, kind="quote.approved", actor=user,
                payload={"number": quote.number, "comment": comment})
    return quote


def quote_reject(*, quote: Quote, user, comment: str) -> Quote:
    """A manager refuses the discount, saying why; the quote goes back to its owner as a
    draft that still needs approval before it can be sent."""
    if not (comment or "").strip():
        raise ValidationError({"comment": [_("Say why the discount is refused.")]})
    with transaction.atomic():
        quote = _pending(quote, user)
        quote.status, quote.approval_comment = QuoteStatus.DRAFT, comment
        quote.approved_discount = None
        quote.save(update_fields=["status", "approval_comment", "approved_discount",
                                  "updated_at"])
        publish(subject=quote, kind="quote.rejected", actor=user,
                payload={"number": quote.number, "comment": comment})
    return quote


def needs_approval(quote: Quote) -> bool:
    """Whether the quote's discount is over the threshold and not approved as it stands."""
    totals = quote_totals(list(quote.lines.all()), discount_percent=quote.discount_percent,
                          tax_percent=quote.tax_percent, currency=quote.currency)
    if totals.largest_discount <= approval_threshold():
        return False
    return quote.approved_discount is None or totals.largest_discount > quote.approved_discount


REVISABLE = (QuoteStatus.SENT, QuoteStatus.ACCEPTED, QuoteStatus.DECLINED, QuoteStatus.EXPIRED)


def quote_revise(*, quote: Quote, user) -> Quote:
    """A new draft version of a sent or answered quote, with the same number and lines;
    the old version stays as it was, read-only, and its link stops working."""
    with transaction.atomic():
        old = Quote.objects.editable_by(user).select_for_update(of=("self",)) \
            .filter(pk=quote.pk).first()
        if old is None:
            raise ObjectDoesNotExist
        if old.superseded_by_id or old.status not in REVISABLE:
            raise ValidationError({"status": [_("Only the latest version of a sent or answered "
                                                "quote can be revised.")]})
        new = Quote.objects.get(pk=old.pk)
        new.pk = new.id = None
        new._state.adding = True
        new.revision, new.status, new.created_by, new.updated_by = old.revision + 1, \
            QuoteStatus.DRAFT, user, user
        new.owner, new.team = old.owner, old.team
        new.sent_at = new.answered_at = new.approved_by = new.approved_discount = None
        new.decline_reason = new.approval_comment = ""
        new.version = 0
        new.save()
        QuoteLine.objects.bulk_create(QuoteLine(
            quote=new, position=line.position, product=line.product,
            description=line.description, quantity=line.quantity, unit_price=line.unit_price,
            discount_percent=line.discount_percent, tax_percent=line.tax_percent,
            adjustment=line.adjustment, adjustment_note=line.adjustment_note,
            net_amount=line.net_amount) for line in old.lines.all())
        Quote.objects.filter(pk=old.pk).update(superseded_by=new, updated_at=timezone.now())
        publish(subject=new, kind="quote.revised", actor=user,
                payload={"from_revision": old.revision, "previous_id": old.pk})
        _recalculate(new, user)
    return new


def quote_versions(quote: Quote, user) -> list[Quote]:
    """Every version of the quote the user may see, newest first."""
    return list(Quote.objects.visible_to(user).filter(number=quote.number)
                .order_by("-revision"))
