"""Order operations: an order from an accepted quote, and its status moves. Each step
publishes an event on the order and on the customer (purchase history)."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.events.kinds import register_event_kind
from amity.sales.models import Order, OrderLine, OrderStatus, Quote
from amity.sales.quote_services import publish_to_customer

# status -> the statuses it may move to
MOVES: dict[str, tuple[str, ...]] = {
    OrderStatus.PLACED: (OrderStatus.PAID,),
    OrderStatus.PAID: (OrderStatus.SHIPPED,),
    OrderStatus.SHIPPED: (OrderStatus.DELIVERED, OrderStatus.RETURNED),
    OrderStatus.DELIVERED: (OrderStatus.RETURNED,),
    OrderStatus.RETURNED: (),
}
ORDER_EVENTS = {
    "order.placed": gettext_lazy("Order placed"),
    "order.paid": gettext_lazy("Order paid"),
    "order.shipped": gettext_lazy("Order shipped"),
    "order.delivered": gettext_lazy("Order delivered"),
    "order.returned": gettext_lazy("Order returned"),
}


def describe_order_event(event) -> str:
    """An order event's line on a timeline: its number and total."""
    payload = event.payload or {}
    return f"{payload.get('number', '')} · {payload.get('total', '')} {payload.get('currency', '')}"


for _kind, _label in ORDER_EVENTS.items():
    register_event_kind(_kind, _label, describe_order_event)


def _payload(order: Order) -> dict:
    return {"order_id": order.pk, "number": order.number, "status": order.status,
            "total": str(order.total), "currency": order.currency,
            "quote_id": order.quote_id}


def order_from_quote(*, quote: Quote, actor=None) -> Order:
    """The order for an accepted quote: its lines and totals copied, owned like the quote.
    Called inside the acceptance's transaction."""
    order = Order.objects.create(
        quote=quote, account=quote.account, contact=quote.contact, currency=quote.currency,
        subtotal=quote.subtotal, discount_amount=quote.discount_amount,
        tax_amount=quote.tax_amount, total=quote.total, placed_at=timezone.now(),
        owner=quote.owner, team=quote.team, created_by=actor, updated_by=actor)
    OrderLine.objects.bulk_create(OrderLine(
        order=order, position=line.position, product=line.product,
        description=line.description, quantity=line.quantity, unit_price=line.unit_price,
        discount_percent=line.discount_percent,
        tax_percent=quote.tax_percent if line.tax_percent is None else line.tax_percent,
        adjustment=line.adjustment, adjustment_note=line.adjustment_note,
        net_amount=line.net_amount) for line in quote.lines.all())
    publish_to_customer(order, "order.placed", actor, _payload(order))
    return order


def order_move(*, order: Order, user, status: str) -> Order:
    """Move an order to `status` along placed → paid → shipped → delivered (→ returned);
    any other move is refused naming both statuses."""
    with transaction.atomic():
        found = Order.objects.visible_to(user).select_for_update(of=("self",)) \
            .filter(pk=order.pk).first()
        if found is None:
            raise ObjectDoesNotExist
        if not Order.objects.editable_by(user).filter(pk=order.pk).exists():
            raise PermissionDenied
        if status not in OrderStatus.values:
            raise ValidationError({"status": [_("Choose one of: %(choices)s.")
                                              % {"choices": ", ".join(OrderStatus.values)}]})
        if status not in MOVES[found.status]:
            raise ValidationError({"status": [_(
                "An order that is %(current)s cannot become %(wanted)s.") % {
                "current": found.get_status_display().lower(),
                "wanted": OrderStatus(status).label.lower()}]})
        found.status, found.updated_by = status, user
        found.save(update_fields=["status", "updated_by", "updated_at", "version"])
        publish_to_customer(found, f"order.{status}", user, _payload(found))
    return found


def next_statuses(order: Order) -> list[tuple[str, str]]:
    """(value, label) of the statuses the order may move to."""
    return [(value, OrderStatus(value).label) for value in MOVES[order.status]]
