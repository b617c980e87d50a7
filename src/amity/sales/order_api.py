"""The orders API at /api/v1/orders: read orders and move their status."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from amity.api.crud import RecordOut, StrictSchema, filter_schema
from amity.api.errors import COMMON_ERRORS
from amity.core.pagination import keyset_page
from amity.sales.models import Order, OrderStatus
from amity.sales.order_services import order_move
from amity.sales.quote_api import QuoteLineOut
from amity.sales.quote_forms import OrderFilter

router = Router(tags=["orders"])


class OrderLineOut(QuoteLineOut):
    tax_percent: Decimal


class OrderOut(RecordOut):
    number: str
    status: str
    quote: int | None
    account: int | None
    contact: int | None
    currency: str
    subtotal: Decimal
    discount_amount: Decimal
    tax_amount: Decimal
    total: Decimal
    placed_at: dt.datetime
    notes: str
    lines: list[OrderLineOut]

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.all())

    @staticmethod
    def resolve_quote(obj) -> int | None:
        return obj.quote_id

    @staticmethod
    def resolve_account(obj) -> int | None:
        return obj.account_id

    @staticmethod
    def resolve_contact(obj) -> int | None:
        return obj.contact_id


class OrderPage(Schema):
    results: list[OrderOut]
    next_cursor: str | None = None


class OrderStatusIn(StrictSchema):
    status: OrderStatus


Filters = filter_schema(OrderFilter)


def _visible(request, pk: int) -> Order:
    return get_object_or_404(Order.objects.visible_to(request.auth)
                             .prefetch_related("lines"), pk=pk)


@router.get("/", response={200: OrderPage, **COMMON_ERRORS}, operation_id="order_list")
def order_list(request, filters: Query[Filters], cursor: str | None = None,
               page_size: int = 50):
    fs = OrderFilter(request.GET, queryset=Order.objects.visible_to(request.auth)
                     .prefetch_related("lines"))
    if not fs.is_valid():
        raise ValidationError(fs.errors)
    page = keyset_page(fs.qs, ordering=("-placed_at", "-id"), after=cursor,
                       size=min(max(page_size, 1), 200))
    return {"results": page.items, "next_cursor": page.next_cursor}


@router.get("/{int:pk}", response={200: OrderOut, **COMMON_ERRORS}, operation_id="order_read")
def order_read(request, pk: int):
    return _visible(request, pk)


@router.post("/{int:pk}/status", response={200: OrderOut, **COMMON_ERRORS},
             operation_id="order_status")
def order_status(request, pk: int, payload: OrderStatusIn):
    """Move the order along placed → paid → shipped → delivered, or to returned."""
    order_move(order=_visible(request, pk), user=request.auth, status=payload.status)
    return _visible(request, pk)
