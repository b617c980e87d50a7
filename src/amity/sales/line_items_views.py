"""The opportunity lines panel (an HTMX partial on the opportunity page): add, change
and remove lines, choose the price book, see what the rules say about the lines."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from amity.sales import catalog_services as catalog
from amity.sales import line_items
from amity.sales.catalog_forms import LineEditForm, LineForm, PriceBookChoiceForm
from amity.sales.catalog_views import add_errors
from amity.sales.models import Opportunity


def _visible(request, pk: int) -> Opportunity:
    return get_object_or_404(Opportunity.objects.visible_to(request.user)
                             .select_related("price_book"), pk=pk)


def _panel(request, opportunity: Opportunity, *, form=None, book_form=None, status=200,
           edit_errors=None, changed=False):
    opportunity.refresh_from_db()
    user = request.user
    can_edit = Opportunity.objects.editable_by(user).filter(pk=opportunity.pk).exists()
    books = catalog.price_books_visible(user).filter(currency=opportunity.currency)
    configuration = line_items.current_configuration(opportunity)
    lines = list(opportunity.lines.select_related("product"))
    for line in lines:
        line.edit_errors = (edit_errors or {}).get(line.pk, [])
    response = render(request, "sales/catalog/_opportunity_lines.html", {
        "record": opportunity, "lines_panel": True, "can_edit": can_edit,
        "lines": lines,
        "book": line_items.book_for(opportunity),
        "warnings": configuration.refusals if configuration else [],
        "form": form or LineForm(products=catalog.products_visible(user).filter(active=True)),
        "book_form": book_form or PriceBookChoiceForm(
            books=books, initial={"price_book": opportunity.price_book_id}),
    }, status=status)
    if changed:
        response["HX-Trigger"] = "record-changed, facts-changed"
    return response


@login_required
def opportunity_lines(request, pk: int):
    return _panel(request, _visible(request, pk))


@login_required
@require_POST
def line_add(request, pk: int):
    opportunity = _visible(request, pk)
    form = LineForm(request.POST, products=catalog.products_visible(request.user)
                    .filter(active=True))
    if form.is_valid():
        data = form.cleaned_data
        try:
            line_items.line_add(opportunity=opportunity, user=request.user,
                                product=data["product"], quantity=data["quantity"],
                                unit_price=data["unit_price"],
                                discount_percent=data["discount_percent"] or Decimal(0))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return _panel(request, opportunity, changed=True)
    return _panel(request, opportunity, form=form, status=422)


@login_required
@require_POST
def line_update(request, pk: int, line: int):
    opportunity = _visible(request, pk)
    found = get_object_or_404(opportunity.lines, pk=line)
    form = LineEditForm(request.POST)
    if form.is_valid():
        try:
            line_items.line_update(line=found, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            return _panel(request, opportunity, status=422,
                          edit_errors={found.pk: exc.messages})
        return _panel(request, opportunity, changed=True)
    messages = [e for errors in form.errors.values() for e in errors]
    return _panel(request, opportunity, status=422, edit_errors={found.pk: messages})


@login_required
@require_POST
def line_delete(request, pk: int, line: int):
    opportunity = _visible(request, pk)
    line_items.line_delete(line=get_object_or_404(opportunity.lines, pk=line), user=request.user)
    return _panel(request, opportunity, changed=True)


@login_required
@require_POST
def price_book_choose(request, pk: int):
    opportunity = _visible(request, pk)
    books = catalog.price_books_visible(request.user).filter(currency=opportunity.currency)
    form = PriceBookChoiceForm(request.POST, books=books)
    if form.is_valid():
        try:
            line_items.price_book_set(opportunity=opportunity, user=request.user,
                                      book=form.cleaned_data["price_book"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return _panel(request, opportunity, changed=True)
    return _panel(request, opportunity, book_form=form, status=422)


