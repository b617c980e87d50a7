"""What the quote, order and customer pages show beside the record's facts."""

from django import template

from amity.sales.models import Order, Quote
from amity.sales.order_services import next_statuses
from amity.sales.quote_forms import CommentForm, QuoteLineForm
from amity.sales.quote_services import approval_threshold, may_approve, quote_versions

register = template.Library()
CUSTOMER_ROWS = 10


@register.simple_tag
def quote_panel(quote: Quote, user) -> dict:
    return {
        "lines": quote.lines.select_related("product"),
        "line_form": QuoteLineForm(),
        "comment_form": CommentForm(),
        "versions": quote_versions(quote, user),
        "may_approve": may_approve(user),
        "threshold": approval_threshold(),
        "order": Order.objects.visible_to(user).filter(quote=quote).first(),
    }


@register.simple_tag
def order_panel(order: Order) -> dict:
    return {"lines": order.lines.select_related("product"), "moves": next_statuses(order)}


@register.simple_tag
def customer_sales(record, user) -> dict:
    """The newest quotes and orders of an account or contact that the user may see."""
    field = "account" if record._meta.model_name == "account" else "contact"
    return {
        "quotes": Quote.objects.visible_to(user).filter(**{field: record})
        .order_by("-updated_at", "-id")[:CUSTOMER_ROWS],
        "orders": Order.objects.visible_to(user).filter(**{field: record})
        .order_by("-placed_at", "-id")[:CUSTOMER_ROWS],
        "field": field,
    }
