"""Orders from accepted quotes: status flow, events on the order and the customer, the
access gate in pages and API, and the customer's page listing quotes and orders."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from amity.events.models import Event
from amity.sales.models import Order, OrderStatus
from amity.sales.order_services import order_move
from amity.sales.quote_links import quote_accept, quote_send, quote_token
from tests.conftest import api_client, make_account, signed_in
from tests.sales.quote_helpers import emailable_contact, make_catalog, make_quote

pytestmark = pytest.mark.django_db


def link(token: str) -> str:
    return f"http://testserver/q/{token}/"


@pytest.fixture
def order(org) -> Order:
    catalog = make_catalog()
    contact = emailable_contact(org.owner, given_name="مریم", family_name="احمدی",
                                account=make_account(org.owner, "شرکت نمونه"))
    quote = make_quote(org.owner, catalog, contact=contact, tax_percent=Decimal(9), lines=[
        {"product": catalog.seat.pk, "quantity": "1"}])
    quote_send(quote=quote, user=org.owner, link_for=link)
    return quote_accept(token=quote_token(quote))


def test_an_order_moves_placed_paid_shipped_delivered_returned(org, order):
    assert order.status == OrderStatus.PLACED and order.number.startswith("O-")
    assert order.total == Decimal("1090.00") and order.lines.get().tax_percent == Decimal(9)
    for status in ("paid", "shipped", "delivered", "returned"):
        order = order_move(order=order, user=org.teammate, status=status)
        assert order.status == status
    kinds = list(Event.objects.for_subject(order).filter(kind__startswith="order.")
                 .order_by("occurred_at", "id").values_list("kind", flat=True))
    assert kinds == ["order.placed", "order.paid", "order.shipped", "order.delivered",
                     "order.returned"]
    for customer in (order.account, order.contact):
        customer_kinds = set(Event.objects.for_subject(customer).values_list("kind", flat=True))
        assert {"order.placed", "order.paid", "order.returned", "quote.accepted"} <= customer_kinds
    placed = Event.objects.for_subject(order.contact).get(kind="order.placed")
    assert placed.payload["total"] == "1090.00" and placed.payload["currency"] == "THB"


@pytest.mark.parametrize(("path", "wanted", "words"), [
    ([], "shipped", ("placed", "shipped")),
    ([], "delivered", ("placed", "delivered")),
    ([], "returned", ("placed", "returned")),
    (["paid"], "placed", ("paid", "placed")),
    (["paid", "shipped", "delivered", "returned"], "paid", ("returned", "paid")),
])
def test_invalid_moves_are_refused_naming_the_statuses(org, order, path, wanted, words):
    for status in path:
        order = order_move(order=order, user=org.owner, status=status)
    events = Event.objects.count()
    with pytest.raises(ValidationError) as exc:
        order_move(order=order, user=org.owner, status=wanted)
    message = " ".join(exc.value.message_dict["status"])
    assert all(word in message for word in words)
    order.refresh_from_db()
    assert order.status == (path[-1] if path else "placed")
    assert Event.objects.count() == events


def test_a_returned_order_can_come_from_shipped(org, order):
    for status in ("paid", "shipped", "returned"):
        order = order_move(order=order, user=org.owner, status=status)
    assert order.status == "returned"


def test_unknown_statuses_are_refused(org, order):
    for bad in ("lost", "", "<b>paid</b>", "ชำระแล้ว"):
        with pytest.raises(ValidationError):
            order_move(order=order, user=org.owner, status=bad)


def test_order_pages_move_the_status_and_say_why_a_move_is_refused(org, order):
    client = signed_in(org.owner)
    page = client.get(f"/orders/{order.pk}/").content.decode()
    assert order.number in page and "ที่นั่งซอฟต์แวร์" in page
    client.post(f"/orders/{order.pk}/status/", {"status": "paid"})
    order.refresh_from_db()
    assert order.status == "paid"
    refused = client.post(f"/orders/{order.pk}/status/", {"status": "delivered"}, follow=True)
    assert "cannot become delivered" in refused.content.decode()
    listing = client.get("/orders/").content.decode()
    assert order.number in listing


def test_another_teams_quote_and_order_answer_404_in_pages_and_api(org, order):
    quote = order.quote
    outsider, api = signed_in(org.outsider), api_client(org.outsider)
    for url in (f"/quotes/{quote.pk}/", f"/orders/{order.pk}/", f"/quotes/{quote.pk}/pdf/"):
        assert outsider.get(url).status_code == 404, url
    for url in (f"/quotes/{quote.pk}/revise/", f"/quotes/{quote.pk}/send/",
                f"/quotes/{quote.pk}/approve/", f"/orders/{order.pk}/status/"):
        assert outsider.post(url, {"status": "paid"}).status_code == 404, url
    for url in (f"/api/v1/quotes/{quote.pk}", f"/api/v1/orders/{order.pk}"):
        assert api.get(url).status_code == 404, url
    assert api.post(f"/api/v1/orders/{order.pk}/status", {"status": "paid"},
                    content_type="application/json").status_code == 404
    assert api.put(f"/api/v1/quotes/{quote.pk}/lines", {"lines": []},
                   content_type="application/json").status_code == 404
    assert api.get("/api/v1/orders/").json()["results"] == []
    assert api.get("/api/v1/quotes/").json()["results"] == []
    assert order.number not in outsider.get("/orders/").content.decode()
    order.refresh_from_db()
    assert order.status == "placed"
    # The manager sees every team's orders.
    assert api_client(org.manager).get(f"/api/v1/orders/{order.pk}").status_code == 200


def test_the_api_creates_prices_sends_and_moves(org, smtp_server):
    catalog = make_catalog()
    contact = emailable_contact(org.owner, language="zh-Hans")
    api = api_client(org.owner)
    created = api.post("/api/v1/quotes/", {
        "contact": contact.pk, "price_book": catalog.book.pk, "currency": "THB",
        "valid_until": "2099-12-31", "tax_percent": "7.00", "terms": "三十天内付款"},
        content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    priced = api.put(f"/api/v1/quotes/{pk}/lines", {"lines": [
        {"product": catalog.seat.pk, "quantity": "10", "discount_percent": "5"}]},
        content_type="application/json")
    assert priced.status_code == 200, priced.content
    body = priced.json()
    assert body["lines"][0]["unit_price"] == "900.00" and body["total"] == "9148.50"
    refused = api.put(f"/api/v1/quotes/{pk}/lines", {"lines": [
        {"product": catalog.unpriced.pk, "quantity": "1"}]}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "lines.0.product"
    assert "软件许可证" in refused.json()["errors"][0]["message"]
    float_money = api.put(f"/api/v1/quotes/{pk}/lines", {"lines": [
        {"product": catalog.seat.pk, "quantity": 1.005}]}, content_type="application/json")
    assert float_money.status_code == 422
    sent = api.post(f"/api/v1/quotes/{pk}/send")
    assert sent.status_code == 200, sent.content
    assert sent.json()["quote"]["status"] == "sent"
    again = api.post(f"/api/v1/quotes/{pk}/send")
    assert again.status_code == 422 and "revise" in again.json()["errors"][0]["message"]
    quote_accept(token=quote_token(Order.quote.field.related_model.objects.get(pk=pk)))
    [listed] = api.get("/api/v1/orders/").json()["results"]
    moved = api.post(f"/api/v1/orders/{listed['id']}/status", {"status": "paid"},
                     content_type="application/json")
    assert moved.status_code == 200 and moved.json()["status"] == "paid"
    wrong = api.post(f"/api/v1/orders/{listed['id']}/status", {"status": "placed"},
                     content_type="application/json")
    assert wrong.status_code == 422
    revised = api.post(f"/api/v1/quotes/{pk}/revise")
    assert revised.status_code == 201 and revised.json()["revision"] == 2


def test_the_customer_pages_show_their_quotes_and_orders(org, order):
    client = signed_in(org.owner)
    for customer in (order.account, order.contact):
        page = client.get(customer.get_absolute_url()).content.decode()
        assert order.number in page and order.quote.number in page
        assert "Order placed" in page and f"{order.number} · 1090.00 THB" in page
    assert order.number not in signed_in(org.outsider).get(
        order.account.get_absolute_url()).content.decode()


def test_list_pages_cost_the_same_queries_for_few_or_many_rows(org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    catalog = make_catalog()
    contact = emailable_contact(org.owner, account=make_account(org.owner))
    client, api = signed_in(org.owner), api_client(org.owner)

    def cost(url, client) -> int:
        client.get(url)  # the first call of a token also stamps when it was last used
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    make_quote(org.owner, catalog, contact=contact,
               lines=[{"product": catalog.seat.pk, "quantity": "1"}])
    few = [cost(url, c) for url, c in (("/quotes/", client), ("/api/v1/quotes/", api))]
    for _ in range(6):
        make_quote(org.owner, catalog, contact=contact,
                   lines=[{"product": catalog.seat.pk, "quantity": "1"}])
    many = [cost(url, c) for url, c in (("/quotes/", client), ("/api/v1/quotes/", api))]
    assert many == few
