"""Order pages: the generic list and detail pages with the order's lines and status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.views.decorators.http import require_POST

from amity.sales.models import Order
from amity.sales.order_services import order_move
from amity.sales.quote_forms import OrderFilter, OrderForm, OrderTable
from amity.web import records
from amity.web.records import RecordUI

ORDERS = RecordUI(
    model=Order, form=OrderForm, table=OrderTable, filterset=OrderFilter,
    sorts={"placed_at": "placed_at"}, related=("account", "contact"),
    panels=("sales/orders/_lines.html",),
)


@login_required
@require_POST
def order_status(request, pk: int):
    """Move the order to the status posted; a refused move says why."""
    order = get_object_or_404(Order.objects.visible_to(request.user), pk=pk)
    try:
        order_move(order=order, user=request.user, status=request.POST.get("status", ""))
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    except PermissionDenied:
        raise
    return redirect(order)


@login_required
def order_create(request):
    """Orders come from accepted quotes: a new order starts as a new quote."""
    return redirect("quote_create")


def _bind(view):
    return login_required(lambda request, **kw: view(request, ORDERS, **kw))


urlpatterns = [
    path("orders/", _bind(records.list_view), name="order_list"),
    path("orders/new/", order_create, name="order_create"),
    path("orders/export.<str:fmt>", _bind(records.export_view), name="order_export"),
    path("orders/<int:pk>/", _bind(records.detail_view), name="order_detail"),
    path("orders/<int:pk>/edit/", _bind(records.edit_view), name="order_edit"),
    path("orders/<int:pk>/assign/", _bind(records.assign_view), name="order_assign"),
    path("orders/<int:pk>/delete/", _bind(records.delete_view), name="order_delete"),
    path("orders/<int:pk>/timeline/", _bind(records.timeline_view), name="order_timeline"),
    path("orders/<int:pk>/status/", order_status, name="order_status"),
]
