"""/api/v1/opportunities/{id}/lines (line items, gated through the opportunity) and
/api/v1/configurator (check and price a selection without storing anything)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from amity.api.crud import StrictSchema
from amity.api.errors import COMMON_ERRORS, ErrorOut
from amity.sales import catalog_services as catalog
from amity.sales import line_items
from amity.sales.configurator import Configuration, configure
from amity.sales.models import Opportunity, Product

lines_router = Router(tags=["opportunity lines"])
configurator_router = Router(tags=["configurator"])


class LineIn(StrictSchema):
    product: int
    quantity: Decimal
    unit_price: Decimal | None = Field(None, description="Omit to price from the book's tier")
    discount_percent: Decimal = Decimal(0)


class LinePatch(StrictSchema):
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    discount_percent: Decimal | None = None


class LineOut(Schema):
    id: int
    product: int
    product_name: str
    quantity: Decimal
    list_price: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    adjustment: Decimal
    adjustment_note: str
    total: Decimal

    @staticmethod
    def resolve_product(obj) -> int:
        return obj.product_id

    @staticmethod
    def resolve_product_name(obj) -> str:
        return obj.product.name


class LinesOut(Schema):
    price_book: int | None
    currency: str
    amount: Decimal | None
    lines: list[LineOut]


class PriceBookChoice(StrictSchema):
    price_book: int | None


class SelectionLine(StrictSchema):
    product: int
    quantity: Decimal


class SelectionIn(StrictSchema):
    lines: list[SelectionLine] = Field(max_length=500)
    declined: list[int] = Field(default_factory=list, max_length=500,
                                description="Products not to add by default")


class ConfigureIn(SelectionIn):
    price_book: int


class AdjustmentOut(Schema):
    rule: int
    amount: Decimal
    explanation: str


class ConfiguredLineOut(Schema):
    product: int
    product_name: str
    quantity: Decimal
    unit_price: Decimal
    list_total: Decimal
    adjustments: list[AdjustmentOut]
    total: Decimal
    added_by_rule: int | None


class RefusalOut(Schema):
    code: str
    message: str
    products: list[int]
    rule: int | None


class ConfigurationOut(Schema):
    ok: bool
    currency: str
    total: Decimal
    lines: list[ConfiguredLineOut]
    refusals: list[RefusalOut]


def configuration_body(result: Configuration) -> dict:
    return {
        "ok": result.ok, "currency": result.currency, "total": result.total,
        "lines": [{"product": line.product.pk, "product_name": line.product.name,
                   "quantity": line.quantity, "unit_price": line.unit_price,
                   "list_total": line.list_total, "total": line.total,
                   "added_by_rule": line.added_by_rule_id,
                   "adjustments": [{"rule": a.rule_id, "amount": a.amount,
                                    "explanation": a.explanation} for a in line.adjustments]}
                  for line in result.lines],
        "refusals": [{"code": r.code, "message": r.message, "rule": r.rule_id,
                      "products": [p.pk for p in r.products]} for r in result.refusals],
    }


def _opportunity(request, pk: int) -> Opportunity:
    return get_object_or_404(Opportunity.objects.visible_to(request.auth), pk=pk)


def _lines_body(opportunity: Opportunity) -> dict:
    opportunity.refresh_from_db()
    return {"price_book": opportunity.price_book_id, "currency": opportunity.currency,
            "amount": opportunity.amount,
            "lines": list(opportunity.lines.select_related("product"))}


def _product(request, pk: int, field: str = "product") -> Product:
    found = catalog.products_visible(request.auth).filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [_("Select a valid choice.")]})
    return found


def _selection(request, payload: SelectionIn) -> tuple[list, list]:
    selection = [(_product(request, line.product, f"lines.{i}.product"), line.quantity)
                 for i, line in enumerate(payload.lines)]
    declined = [_product(request, pk, f"declined.{i}") for i, pk in enumerate(payload.declined)]
    return selection, declined


@lines_router.get("/{int:pk}/lines", response={200: LinesOut, **COMMON_ERRORS},
                  summary="An opportunity's line items", operation_id="opportunity_lines")
def list_lines(request, pk: int):
    return _lines_body(_opportunity(request, pk))


@lines_router.post("/{int:pk}/lines", response={201: LineOut, **COMMON_ERRORS},
                   summary="Add a line item", operation_id="opportunity_line_add")
def add_line(request, pk: int, payload: LineIn):
    """Priced from the opportunity's price book (its currency's standard book when it has
    none yet) at the tier the quantity reaches, unless a unit price is given."""
    line = line_items.line_add(
        opportunity=_opportunity(request, pk), user=request.auth,
        product=_product(request, payload.product), quantity=payload.quantity,
        unit_price=payload.unit_price, discount_percent=payload.discount_percent)
    return Status(201, line)


@lines_router.patch("/{int:pk}/lines/{int:line}", response={200: LineOut, **COMMON_ERRORS},
                    summary="Change a line item", operation_id="opportunity_line_update")
def update_line(request, pk: int, line: int, payload: LinePatch):
    found = get_object_or_404(_opportunity(request, pk).lines, pk=line)
    data = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    return line_items.line_update(line=found, user=request.auth, data=data)


@lines_router.delete("/{int:pk}/lines/{int:line}", response={204: None, **COMMON_ERRORS},
                     summary="Remove a line item", operation_id="opportunity_line_delete")
def delete_line(request, pk: int, line: int):
    found = get_object_or_404(_opportunity(request, pk).lines, pk=line)
    line_items.line_delete(line=found, user=request.auth)
    return Status(204, None)


@lines_router.put("/{int:pk}/price-book", response={200: LinesOut, **COMMON_ERRORS},
                  summary="Choose the price book", operation_id="opportunity_price_book")
def set_price_book(request, pk: int, payload: PriceBookChoice):
    opportunity = _opportunity(request, pk)
    book = None
    if payload.price_book is not None:
        book = catalog.price_books_visible(request.auth).filter(pk=payload.price_book).first()
        if book is None:
            raise ValidationError({"price_book": [_("Select a valid choice.")]})
    line_items.price_book_set(opportunity=opportunity, user=request.auth, book=book)
    return _lines_body(opportunity)


@lines_router.put("/{int:pk}/lines",
                  response={**COMMON_ERRORS, 200: ConfigurationOut,
                            422: ConfigurationOut | ErrorOut},
                  summary="Replace the lines with a configured selection",
                  operation_id="opportunity_lines_configure")
def configure_lines(request, pk: int, payload: SelectionIn):
    """Runs the configurator; a refused selection answers 422 with its refusals and
    leaves the lines as they were."""
    selection, declined = _selection(request, payload)
    result = line_items.lines_configure(opportunity=_opportunity(request, pk),
                                        user=request.auth, selection=selection,
                                        declined=declined)
    return Status(200 if result.ok else 422, configuration_body(result))


@configurator_router.post("/", response={200: ConfigurationOut, **COMMON_ERRORS},
                          summary="Check and price a selection", operation_id="configure")
def configure_selection(request, payload: ConfigureIn):
    """Stores nothing: answers the lines with prices, the adjustments applied and the
    refusals explained in the caller's language."""
    book = catalog.price_books_visible(request.auth).filter(pk=payload.price_book).first()
    if book is None:
        raise ValidationError({"price_book": [_("Select a valid choice.")]})
    selection, declined = _selection(request, payload)
    return configuration_body(configure(selection=selection, book=book, declined=declined))
