"""/api/v1/products and /api/v1/price-books: the catalogue, read by sales users and kept
by catalogue editors through sales.catalog_services."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from amity.api.crud import StrictSchema, filter_schema, patch_schema
from amity.api.errors import COMMON_ERRORS
from amity.core.pagination import keyset_page
from amity.sales import catalog_services as catalog
from amity.sales.catalog_filters import ProductFilter

products_router = Router(tags=["products"])
price_books_router = Router(tags=["price books"])


class ProductIn(StrictSchema):
    code: str = Field(max_length=60)
    name: str = Field(max_length=200)
    family: str = Field("", max_length=100)
    description: str = Field("", max_length=10000)
    unit: str = Field("", max_length=30)
    active: bool = True


class ProductOut(Schema):
    id: int
    code: str
    name: str
    family: str
    description: str
    unit: str
    active: bool


class ProductPage(Schema):
    results: list[ProductOut]
    next_cursor: str | None


class PriceBookIn(StrictSchema):
    name: str = Field(max_length=100)
    currency: str = Field(max_length=3, description="ISO 4217 code, e.g. THB")
    is_standard: bool = False
    active: bool = True
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


class PriceBookOut(Schema):
    id: int
    name: str
    currency: str
    is_standard: bool
    active: bool
    valid_from: dt.date | None
    valid_until: dt.date | None


class TierIn(StrictSchema):
    min_quantity: Decimal = Field(description="The tier applies from this quantity up")
    unit_price: Decimal


class TiersIn(StrictSchema):
    tiers: list[TierIn] = Field(max_length=100)


class TierOut(Schema):
    product: int
    min_quantity: Decimal
    unit_price: Decimal

    @staticmethod
    def resolve_product(obj) -> int:
        return obj.product_id


ProductFilters = filter_schema(ProductFilter)


@products_router.get("/", response={200: ProductPage, **COMMON_ERRORS},
                     summary="List products", operation_id="product_list")
def list_products(request, filters: Query[ProductFilters], cursor: str | None = None,
                  page_size: int = 50):
    fs = ProductFilter(request.GET, queryset=catalog.products_visible(request.auth))
    if not fs.is_valid():
        raise ValidationError(fs.errors)
    page = keyset_page(fs.qs, ordering=("name", "id"), after=cursor, size=page_size)
    return {"results": page.items, "next_cursor": page.next_cursor}


@products_router.post("/", response={201: ProductOut, **COMMON_ERRORS},
                      summary="Create a product", operation_id="product_create")
def create_product(request, payload: ProductIn):
    return Status(201, catalog.product_save(user=request.auth, data=payload.model_dump()))


@products_router.get("/{int:pk}", response={200: ProductOut, **COMMON_ERRORS},
                     summary="Read a product", operation_id="product_read")
def read_product(request, pk: int):
    return get_object_or_404(catalog.products_visible(request.auth), pk=pk)


@products_router.patch("/{int:pk}", response={200: ProductOut, **COMMON_ERRORS},
                       summary="Change a product", operation_id="product_update")
def update_product(request, pk: int, payload: patch_schema(ProductIn)):
    product = get_object_or_404(catalog.products_visible(request.auth), pk=pk)
    return catalog.product_save(user=request.auth, product=product,
                                data=payload.model_dump(exclude_unset=True))


@price_books_router.get("/", response={200: list[PriceBookOut], **COMMON_ERRORS},
                        summary="List price books", operation_id="price_book_list")
def list_books(request):
    return list(catalog.price_books_visible(request.auth))


@price_books_router.post("/", response={201: PriceBookOut, **COMMON_ERRORS},
                         summary="Create a price book", operation_id="price_book_create")
def create_book(request, payload: PriceBookIn):
    return Status(201, catalog.price_book_save(user=request.auth, data=payload.model_dump()))


@price_books_router.get("/{int:pk}", response={200: PriceBookOut, **COMMON_ERRORS},
                        summary="Read a price book", operation_id="price_book_read")
def read_book(request, pk: int):
    return get_object_or_404(catalog.price_books_visible(request.auth), pk=pk)


@price_books_router.patch("/{int:pk}", response={200: PriceBookOut, **COMMON_ERRORS},
                          summary="Change a price book", operation_id="price_book_update")
def update_book(request, pk: int, payload: patch_schema(PriceBookIn)):
    book = get_object_or_404(catalog.price_books_visible(request.auth), pk=pk)
    return catalog.price_book_save(user=request.auth, book=book,
                                   data=payload.model_dump(exclude_unset=True))


@price_books_router.get("/{int:pk}/prices", response={200: list[TierOut], **COMMON_ERRORS},
                        summary="Every price in a book", operation_id="price_book_prices")
def book_prices(request, pk: int):
    book = get_object_or_404(catalog.price_books_visible(request.auth), pk=pk)
    products = catalog.products_visible(request.auth)
    return list(book.entries.filter(product__in=products).order_by("product", "min_quantity"))


def _book_and_product(request, pk: int, product: int):
    return (get_object_or_404(catalog.price_books_visible(request.auth), pk=pk),
            get_object_or_404(catalog.products_visible(request.auth), pk=product))


@price_books_router.get("/{int:pk}/products/{int:product}/tiers",
                        response={200: list[TierOut], **COMMON_ERRORS},
                        summary="A product's volume tiers in a book", operation_id="tiers_read")
def read_tiers(request, pk: int, product: int):
    book, item = _book_and_product(request, pk, product)
    return catalog.tiers_of(book=book, product=item)


@price_books_router.put("/{int:pk}/products/{int:product}/tiers",
                        response={200: list[TierOut], **COMMON_ERRORS},
                        summary="Replace a product's volume tiers in a book",
                        operation_id="tiers_set")
def set_tiers(request, pk: int, product: int, payload: TiersIn):
    """An empty list takes the product out of the book. Tiers may not start at the same
    quantity; prices are 0 or more, with at most two decimals."""
    book, item = _book_and_product(request, pk, product)
    tiers = [catalog.Tier(t.min_quantity, t.unit_price) for t in payload.tiers]
    catalog.tiers_set(user=request.auth, book=book, product=item, tiers=tiers)
    return catalog.tiers_of(book=book, product=item)
