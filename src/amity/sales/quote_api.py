"""The quotes API at /api/v1/quotes: the same services as the pages."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from amity.api.crud import RecordOut, StrictSchema, etag, filter_schema, if_match_version
from amity.api.errors import COMMON_ERRORS, ErrorOut
from amity.core.pagination import keyset_page
from amity.sales import quote_links, quote_services
from amity.sales.models import Quote
from amity.sales.quote_forms import QuoteFilter
from amity.sales.quote_pdf import customer_language, quote_pdf

router = Router(tags=["quotes"])
Money = Decimal
Percent = Field(Decimal(0), ge=0, le=100, max_digits=5, decimal_places=2)


class QuoteIn(StrictSchema):
    opportunity: int | None = None
    account: int | None = None
    contact: int | None = None
    currency: str = Field("", max_length=3)
    price_book: int
    discount_percent: Decimal = Percent
    tax_percent: Decimal = Percent
    valid_until: dt.date
    terms: str = Field("", max_length=20000)


class QuotePatch(StrictSchema):
    contact: int | None = None
    discount_percent: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)
    tax_percent: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)
    valid_until: dt.date | None = None
    terms: str | None = Field(None, max_length=20000)


class QuoteLineIn(StrictSchema):
    product: int
    quantity: Decimal = Field(Decimal(1), gt=0, max_digits=12, decimal_places=2)
    discount_percent: Decimal = Percent
    tax_percent: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)
    description: str = Field("", max_length=500)


class LinesIn(StrictSchema):
    lines: list[QuoteLineIn] = Field(max_length=quote_services.MAX_LINES)


class QuoteLineOut(Schema):
    id: int
    product: int
    description: str
    quantity: Decimal
    unit_price: Money
    discount_percent: Decimal
    tax_percent: Decimal | None
    adjustment: Money  # what the configuration rules add (negative: a discount)
    adjustment_note: str
    net_amount: Money

    @staticmethod
    def resolve_product(obj) -> int:
        return obj.product_id


class QuoteOut(RecordOut):
    number: str
    revision: int
    status: str
    superseded_by: int | None
    opportunity: int | None
    account: int | None
    contact: int | None
    currency: str
    price_book: int
    discount_percent: Decimal
    tax_percent: Decimal
    valid_until: dt.date
    terms: str
    subtotal: Money
    discount_amount: Money
    tax_amount: Money
    total: Money
    approval_comment: str
    decline_reason: str
    sent_at: dt.datetime | None
    lines: list[QuoteLineOut]

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.all())

    @staticmethod
    def resolve_superseded_by(obj) -> int | None:
        return obj.superseded_by_id

    @staticmethod
    def resolve_opportunity(obj) -> int | None:
        return obj.opportunity_id

    @staticmethod
    def resolve_account(obj) -> int | None:
        return obj.account_id

    @staticmethod
    def resolve_contact(obj) -> int | None:
        return obj.contact_id

    @staticmethod
    def resolve_price_book(obj) -> int:
        return obj.price_book_id


class QuotePage(Schema):
    results: list[QuoteOut]
    next_cursor: str | None = None


class CommentIn(StrictSchema):
    comment: str = Field("", max_length=2000)


class SentOut(Schema):
    quote: QuoteOut
    email_id: int


Filters = filter_schema(QuoteFilter)


def _visible(request, pk: int) -> Quote:
    return get_object_or_404(Quote.objects.visible_to(request.auth)
                             .prefetch_related("lines"), pk=pk)


def _references(data: dict) -> dict:
    """Ids of related records turned into records (the services check visibility)."""
    from amity.api.crud import resolve_references

    return resolve_references(Quote, data)


@router.get("/", response={200: QuotePage, **COMMON_ERRORS}, operation_id="quote_list")
def quote_list(request, filters: Query[Filters], cursor: str | None = None,
               page_size: int = 50):
    fs = QuoteFilter(request.GET, queryset=Quote.objects.visible_to(request.auth)
                     .prefetch_related("lines"))
    if not fs.is_valid():
        raise ValidationError(fs.errors)
    page = keyset_page(fs.qs, ordering=("-updated_at", "-id"), after=cursor,
                       size=min(max(page_size, 1), 200))
    return {"results": page.items, "next_cursor": page.next_cursor}


@router.post("/", response={201: QuoteOut, **COMMON_ERRORS}, operation_id="quote_create")
def quote_create(request, response: HttpResponse, payload: QuoteIn):
    quote = quote_services.quote_create(user=request.auth,
                                        data=_references(payload.model_dump()))
    response["ETag"] = etag(quote)
    return Status(201, quote)


@router.get("/{int:pk}", response={200: QuoteOut, **COMMON_ERRORS}, operation_id="quote_read")
def quote_read(request, response: HttpResponse, pk: int):
    quote = _visible(request, pk)
    response["ETag"] = etag(quote)
    return quote


@router.patch("/{int:pk}", response={200: QuoteOut, 412: ErrorOut, **COMMON_ERRORS},
              operation_id="quote_update")
def quote_update(request, response: HttpResponse, pk: int, payload: QuotePatch):
    quote = _visible(request, pk)
    version = if_match_version(request, quote)
    data = _references(payload.model_dump(exclude_unset=True))
    quote = quote_services.quote_update(quote=quote, user=request.auth, data=data,
                                        version=version)
    response["ETag"] = etag(quote)
    return _visible(request, pk)


@router.put("/{int:pk}/lines", response={200: QuoteOut, **COMMON_ERRORS},
            operation_id="quote_set_lines")
def quote_set_lines(request, pk: int, payload: LinesIn):
    """Replace the lines; prices come from the quote's price book."""
    quote_services.quote_set_lines(quote=_visible(request, pk), user=request.auth,
                                   lines=[line.model_dump() for line in payload.lines])
    return _visible(request, pk)


@router.post("/{int:pk}/approve", response={200: QuoteOut, **COMMON_ERRORS},
             operation_id="quote_approve")
def quote_approve(request, pk: int, payload: CommentIn):
    quote_services.quote_approve(quote=_visible(request, pk), user=request.auth,
                                 comment=payload.comment)
    return _visible(request, pk)


@router.post("/{int:pk}/reject", response={200: QuoteOut, **COMMON_ERRORS},
             operation_id="quote_reject")
def quote_reject(request, pk: int, payload: CommentIn):
    quote_services.quote_reject(quote=_visible(request, pk), user=request.auth,
                                comment=payload.comment)
    return _visible(request, pk)


@router.post("/{int:pk}/send", response={200: SentOut, **COMMON_ERRORS},
             operation_id="quote_send")
def quote_send(request, pk: int):
    """Email the PDF and the answer link to the quote's contact (needs email consent)."""
    message = quote_links.quote_send(
        quote=_visible(request, pk), user=request.auth,
        link_for=lambda token: request.build_absolute_uri(
            reverse("quote_respond", args=[token])))
    return {"quote": _visible(request, pk), "email_id": message.pk}


@router.post("/{int:pk}/revise", response={201: QuoteOut, **COMMON_ERRORS},
             operation_id="quote_revise")
def quote_revise(request, pk: int):
    new = quote_services.quote_revise(quote=_visible(request, pk), user=request.auth)
    return Status(201, _visible(request, new.pk))


@router.get("/{int:pk}/pdf", response={200: None, **COMMON_ERRORS}, operation_id="quote_pdf")
def quote_pdf_read(request, pk: int):
    quote = _visible(request, pk)
    language = request.GET.get("language") or customer_language(quote, request.auth)
    try:
        from django.utils.translation import get_supported_language_variant

        language = get_supported_language_variant(language)
    except LookupError:
        raise ValidationError({"language": [_("Amity does not speak this language.")]}) \
            from None
    response = HttpResponse(quote_pdf(quote, language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{quote.number}-v{quote.revision}.pdf"'
    return response
