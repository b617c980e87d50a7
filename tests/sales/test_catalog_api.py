"""The catalogue API: editors keep products, books and tiers; sales users read active
products; bad input is refused with the field named and nothing saved."""

import json
from decimal import Decimal

import pytest

from amity.sales.models import PriceBook, PriceBookEntry, Product
from tests.conftest import api_client
from tests.sales.catalog_data import product, standard_book

pytestmark = pytest.mark.django_db


def post(client, url, body, method="post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def fields(response) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def test_an_admin_creates_a_product_a_book_and_tiers(org):
    admin = api_client(org.admin)
    made = post(admin, "/api/v1/products/", {"code": "漢-1", "name": "ชุดกล้อง 📷",
                                             "family": "Cameras", "unit": "ชุด"})
    assert made.status_code == 201, made.json()
    book = post(admin, "/api/v1/price-books/", {"name": "فهرست", "currency": "irr",
                                                "is_standard": True})
    assert book.status_code == 201 and book.json()["currency"] == "IRR"
    url = f"/api/v1/price-books/{book.json()['id']}/products/{made.json()['id']}/tiers"
    tiers = post(admin, url, {"tiers": [{"min_quantity": "10", "unit_price": "900.50"},
                                        {"min_quantity": "1", "unit_price": 1000}]}, "put")
    assert tiers.status_code == 200
    assert [(t["min_quantity"], t["unit_price"]) for t in tiers.json()] == [
        ("1.00", "1000.00"), ("10.00", "900.50")]


def test_a_sales_manager_may_keep_the_catalogue_a_rep_and_a_viewer_may_not(org):
    assert post(api_client(org.manager), "/api/v1/products/",
                {"code": "M", "name": "By manager"}).status_code == 201
    for user in (org.owner, org.viewer):
        response = post(api_client(user), "/api/v1/products/", {"code": "X", "name": "No"})
        assert response.status_code == 403
    assert not Product.objects.filter(code="X").exists()


def test_sales_users_read_active_products_only_and_partners_nothing(org):
    product("ON", "Active one")
    retired = product("OFF", "Retired", active=False)
    rep = api_client(org.owner)
    assert [p["code"] for p in rep.get("/api/v1/products/").json()["results"]] == ["ON"]
    assert rep.get(f"/api/v1/products/{retired.pk}").status_code == 404
    assert [p["code"] for p in api_client(org.admin).get(
        "/api/v1/products/?active=false").json()["results"]] == ["OFF"]
    assert api_client(org.partner).get("/api/v1/products/").json()["results"] == []


def test_duplicate_negative_huge_and_malformed_tiers_are_refused_by_field(org):
    book = standard_book()
    item = product("SEAT", "ที่นั่ง", ("1", "100"), book=book)
    url = f"/api/v1/price-books/{book.pk}/products/{item.pk}/tiers"
    response = post(api_client(org.admin), url, {"tiers": [
        {"min_quantity": "1", "unit_price": "10"},
        {"min_quantity": "1.00", "unit_price": "-5"},
        {"min_quantity": "-2", "unit_price": "1e30"},
        {"min_quantity": "5", "unit_price": "0.001"},
    ]}, "put")
    assert response.status_code == 422
    errors = fields(response)
    assert "already starts at" in errors["tiers.1.min_quantity"]
    assert errors["tiers.1.unit_price"] == "It cannot be negative."
    assert errors["tiers.2.min_quantity"] == "It cannot be negative."
    assert errors["tiers.2.unit_price"].startswith("It is too large")
    assert errors["tiers.3.unit_price"] == "Use at most two decimals."
    # nothing half-saved: the old tier is still there
    assert list(PriceBookEntry.objects.values_list("unit_price", flat=True)) == [Decimal(100)]
    wrong_type = post(api_client(org.admin), url, {"tiers": [{"min_quantity": "ten",
                                                             "unit_price": "1"}]}, "put")
    assert wrong_type.status_code == 422
    assert "tiers.0.min_quantity" in fields(wrong_type)


def test_unknown_currencies_and_duplicate_codes_are_refused_by_field(org):
    admin = api_client(org.admin)
    response = post(admin, "/api/v1/price-books/", {"name": "X", "currency": "XYZ"})
    assert response.status_code == 422
    assert fields(response)["currency"] == "XYZ is not an ISO currency code, e.g. THB."
    product("DUP", "First")
    response = post(admin, "/api/v1/products/", {"code": "DUP", "name": "Second"})
    assert response.status_code == 422 and "code" in fields(response)
    response = post(admin, "/api/v1/products/", {"code": "Z", "name": "Z", "price": 3})
    assert response.status_code == 422 and "price" in fields(response)


def test_one_standard_book_per_currency_and_validity_in_order(org):
    standard_book()
    admin = api_client(org.admin)
    response = post(admin, "/api/v1/price-books/", {"name": "Other", "currency": "THB",
                                                    "is_standard": True})
    assert response.status_code == 422
    assert "already the standard price book for THB" in fields(response)["is_standard"]
    response = post(admin, "/api/v1/price-books/", {
        "name": "Promo", "currency": "THB", "valid_from": "2026-02-01",
        "valid_until": "2026-01-01"})
    assert "valid_until" in fields(response)
    assert PriceBook.objects.count() == 1


def test_injection_text_is_stored_as_text(org):
    admin = api_client(org.admin)
    name = "Robert'); DROP TABLE sales_product;-- <script>alert(1)</script>"
    made = post(admin, "/api/v1/products/", {"code": "INJ", "name": name})
    assert made.status_code == 201
    assert admin.get(f"/api/v1/products/{made.json()['id']}").json()["name"] == name
    changed = post(admin, f"/api/v1/products/{made.json()['id']}", {"active": False}, "patch")
    assert changed.json()["active"] is False and changed.json()["name"] == name


def test_catalogue_line_and_configurator_answers_conform_to_the_openapi_document(org):
    from openapi_core import OpenAPI
    from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

    from tests.sales.catalog_data import opportunity, rule

    spec = OpenAPI.from_dict(api_client(org.admin).get("/api/v1/openapi.json").json())

    def check(response):
        spec.validate_response(DjangoOpenAPIRequest(response.wsgi_request),
                               DjangoOpenAPIResponse(response))
        return response

    book = standard_book()
    seat = product("SEAT", "ที่นั่ง", ("1", "10"), book=book)
    dock = product("DOCK", "แท่นวาง", ("1", "5"), book=book)
    rule(seat, "requires", dock)
    admin, rep = api_client(org.admin), api_client(org.owner)
    check(rep.get("/api/v1/products/"))
    check(rep.get(f"/api/v1/products/{seat.pk}"))
    check(rep.get("/api/v1/price-books/"))
    check(rep.get(f"/api/v1/price-books/{book.pk}/prices"))
    check(post(admin, f"/api/v1/price-books/{book.pk}/products/{seat.pk}/tiers",
               {"tiers": [{"min_quantity": "1", "unit_price": "-1"}]}, "put"))
    check(post(rep, "/api/v1/products/", {"code": "X", "name": "X"}))
    deal = opportunity(org.owner)
    url = f"/api/v1/opportunities/{deal.pk}/lines"
    assert check(post(rep, url, {"product": seat.pk, "quantity": "1"})).status_code == 201
    check(rep.get(url))
    refused = check(post(rep, url, {"lines": [{"product": seat.pk, "quantity": "1"}]}, "put"))
    assert refused.status_code == 422
    check(post(rep, url, {"lines": [{"product": 99999, "quantity": "1"}]}, "put"))
    check(post(rep, "/api/v1/configurator/", {"price_book": book.pk, "lines": [
        {"product": seat.pk, "quantity": "2"}]}))
    check(api_client(org.outsider).get(url))
