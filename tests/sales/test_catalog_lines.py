"""Opportunity line items: priced from the book's tiers, amount follows the lines, gated
through the opportunity."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amity.events.models import Event
from amity.sales import line_items
from amity.sales.models import Opportunity, PriceBook
from tests.conftest import api_client
from tests.sales.catalog_data import opportunity, product, rule, standard_book

pytestmark = pytest.mark.django_db
D = Decimal


def send(client, method, url, body=None):
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def book():
    return standard_book()


@pytest.fixture
def seat(book):
    return product("SEAT", "ที่นั่ง", ("1", "1000.00"), ("10", "900.00"), book=book)


@pytest.fixture
def deal(org):
    return opportunity(org.owner)


def test_a_line_is_priced_from_the_tier_and_the_amount_follows_the_lines(org, deal, seat, book):
    api = api_client(org.owner)
    url = f"/api/v1/opportunities/{deal.pk}/lines"
    added = send(api, "post", url, {"product": seat.pk, "quantity": "12"})
    assert added.status_code == 201, added.json()
    assert (added.json()["unit_price"], added.json()["total"]) == ("900.00", "10800.00")
    send(api, "post", url, {"product": seat.pk, "quantity": "1", "unit_price": "999.99",
                            "discount_percent": "12.5"})
    body = api.get(url).json()
    assert body["price_book"] == book.pk  # the standard THB book was chosen
    assert [line["total"] for line in body["lines"]] == ["10800.00", "874.99"]
    assert body["amount"] == "11674.99"
    # a line at list price is re-priced when its quantity crosses a tier
    first = body["lines"][0]["id"]
    changed = send(api, "patch", f"{url}/{first}", {"quantity": "2"})
    assert (changed.json()["unit_price"], changed.json()["total"]) == ("1000.00", "2000.00")
    send(api, "delete", f"{url}/{body['lines'][1]['id']}")
    deal.refresh_from_db()
    assert deal.amount == D("2000.00")
    assert Event.objects.filter(kind="updated", payload__changes__has_key="amount").exists()


def test_an_outsider_cannot_see_or_add_lines_and_a_viewer_cannot_change_them(org, deal, seat):
    line = line_items.line_add(opportunity=deal, user=org.owner, product=seat, quantity=D(1))
    url = f"/api/v1/opportunities/{deal.pk}/lines"
    outsider = api_client(org.outsider)
    assert outsider.get(url).status_code == 404
    assert send(outsider, "post", url, {"product": seat.pk, "quantity": "1"}).status_code == 404
    assert send(outsider, "delete", f"{url}/{line.pk}").status_code == 404
    viewer = api_client(org.viewer)
    assert viewer.get(url).status_code == 200
    assert send(viewer, "post", url, {"product": seat.pk, "quantity": "1"}).status_code == 403
    with pytest.raises(PermissionDenied):
        line_items.line_add(opportunity=deal, user=org.outsider, product=seat, quantity=D(1))
    assert deal.lines.count() == 1
    teammate = api_client(org.teammate)
    assert send(teammate, "post", url, {"product": seat.pk, "quantity": "1"}).status_code == 201


def test_bad_lines_are_refused_by_field_and_nothing_is_saved(org, deal, seat, book):
    url = f"/api/v1/opportunities/{deal.pk}/lines"
    api = api_client(org.owner)
    unpriced = product("NEW", "新产品")
    cases = [({"product": seat.pk, "quantity": "0"}, "quantity"),
             ({"product": seat.pk, "quantity": "1e20"}, "quantity"),
             ({"product": seat.pk, "quantity": "1.234"}, "quantity"),
             ({"product": seat.pk, "quantity": "one"}, "quantity"),
             ({"product": seat.pk, "quantity": "1", "unit_price": "-1"}, "unit_price"),
             ({"product": seat.pk, "quantity": "1", "discount_percent": "101"},
              "discount_percent"),
             ({"product": unpriced.pk, "quantity": "1"}, "product"),
             ({"product": 999999, "quantity": "1"}, "product")]
    for body, field in cases:
        response = send(api, "post", url, body)
        assert response.status_code == 422, body
        assert field in {e["field"] for e in response.json()["errors"]}, (body, response.json())
    assert "新产品" in send(api, "post", url, cases[6][0]).json()["errors"][0]["message"]
    assert deal.lines.count() == 0
    deal.refresh_from_db()
    assert deal.amount is None


def test_the_price_book_must_be_in_the_opportunitys_currency(org, deal, seat):
    yuan = PriceBook.objects.create(name="China", currency="CNY")
    api = api_client(org.owner)
    response = send(api, "put", f"/api/v1/opportunities/{deal.pk}/price-book",
                    {"price_book": yuan.pk})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "price_book"
    assert "CNY" in response.json()["errors"][0]["message"]
    assert Opportunity.objects.get(pk=deal.pk).price_book is None


def test_without_a_book_in_its_currency_a_line_is_refused(org, seat):
    euro_deal = opportunity(org.owner, currency="EUR")
    with pytest.raises(ValidationError) as refused:
        line_items.line_add(opportunity=euro_deal, user=org.owner, product=seat, quantity=D(1))
    assert "EUR" in refused.value.message_dict["price_book"][0]


def test_a_line_a_rule_excludes_is_refused(org, deal, seat, book):
    desk = product("DESK", "โต๊ะ", ("1", "5000"), book=book)
    rule(seat, "excludes", desk, name="No desks with seats")
    line_items.line_add(opportunity=deal, user=org.owner, product=seat, quantity=D(1))
    with pytest.raises(ValidationError) as refused:
        line_items.line_add(opportunity=deal, user=org.owner, product=desk, quantity=D(1))
    assert "No desks with seats" in refused.value.message_dict["product"][0]
    assert deal.lines.count() == 1


def test_configured_lines_replace_the_lines_or_nothing_changes(org, deal, seat, book):
    dock = product("DOCK", "แท่นวาง", ("1", "100"), book=book)
    rule(seat, "requires", dock, name="Seat needs dock")
    rule(dock, "adjust_price", then_product=seat, then_adjust_by="percent",
         then_adjust_value=D("-10"), name="Bundle")
    api = api_client(org.owner)
    url = f"/api/v1/opportunities/{deal.pk}/lines"
    refused = send(api, "put", url, {"lines": [{"product": seat.pk, "quantity": "2"}]})
    assert refused.status_code == 422
    assert refused.json()["refusals"][0]["code"] == "requires"
    assert deal.lines.count() == 0
    done = send(api, "put", url, {"lines": [{"product": seat.pk, "quantity": "2"},
                                            {"product": dock.pk, "quantity": "1"}]})
    assert done.status_code == 200 and done.json()["total"] == "1900.00"
    lines = api.get(url).json()
    assert [(line["adjustment"], line["total"]) for line in lines["lines"]] == [
        ("-200.00", "1800.00"), ("0.00", "100.00")]
    assert lines["amount"] == "1900.00"


def test_the_configurator_endpoint_explains_in_the_callers_language(org, seat, book):
    dock = product("DOCK", "แท่นวาง", ("1", "100"), book=book)
    rule(seat, "requires", dock, name="กฎที่นั่ง")
    response = send(api_client(org.owner), "post", "/api/v1/configurator/",
                    {"price_book": book.pk, "lines": [{"product": seat.pk, "quantity": "1"}]})
    body = response.json()
    assert body["ok"] is False and body["refusals"][0]["products"] == [seat.pk, dock.pk]
    assert "กฎที่นั่ง" in body["refusals"][0]["message"]
    other = send(api_client(org.owner), "post", "/api/v1/configurator/",
                 {"price_book": 99999, "lines": []})
    assert other.json()["errors"][0]["field"] == "price_book"


def test_changing_the_currency_away_from_the_books_is_refused_on_currency(org, deal, seat):
    from amity.core.services import record_update

    line_items.line_add(opportunity=deal, user=org.owner, product=seat, quantity=D(1))
    deal.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        record_update(record=deal, user=org.owner, data={"currency": "USD"})
    assert "THB" in refused.value.message_dict["currency"][0]


def test_listing_lines_and_products_costs_the_same_queries_whatever_their_number(
        org, deal, book):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = api_client(org.owner)
    url = f"/api/v1/opportunities/{deal.pk}/lines"

    def cost(path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(path).status_code == 200
        return len(queries.captured_queries)

    first = product("P0", "สินค้า 0", ("1", "1"), book=book)
    line_items.line_add(opportunity=deal, user=org.owner, product=first, quantity=D(1))
    cost(url)  # the first request also records the token's use
    few_lines, few_products = cost(url), cost("/api/v1/products/")
    for i in range(1, 12):
        item = product(f"P{i}", f"สินค้า {i}", ("1", "1"), book=book)
        line_items.line_add(opportunity=deal, user=org.owner, product=item, quantity=D(1))
    assert cost(url) == few_lines
    assert cost("/api/v1/products/") == few_products
