"""The quotes and orders API answers what its OpenAPI document promises; quotes start
from an opportunity or a customer, in the UI as in the API."""

import json
from decimal import Decimal

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from amity.core.services import record_create
from amity.sales.models import Opportunity, Pipeline, Quote, Stage
from amity.sales.quote_links import quote_accept, quote_token
from tests.conftest import api_client, make_account, signed_in
from tests.sales.quote_helpers import emailable_contact, make_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def check(org):
    openapi = OpenAPI.from_dict(api_client(org.admin).get("/api/v1/openapi.json").json())

    def validate(response):
        openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request),
                                  DjangoOpenAPIResponse(response))
        return response
    return validate


def send(client, method, url, body=None):
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data, content_type="application/json")


def test_quote_and_order_endpoints_conform(org, check, settings):
    settings.QUOTE_APPROVAL_DISCOUNT = "10"
    catalog = make_catalog()
    contact = emailable_contact(org.owner, account=make_account(org.owner))
    client, manager = api_client(org.owner), api_client(org.manager)
    created = check(send(client, "post", "/api/v1/quotes/", {
        "contact": contact.pk, "account": contact.account_id, "price_book": catalog.book.pk,
        "valid_until": "2099-01-31"}))
    assert created.status_code == 201 and created.json()["currency"] == "THB"
    url = f"/api/v1/quotes/{created.json()['id']}"
    check(send(client, "post", "/api/v1/quotes/", {"price_book": catalog.book.pk,
                                                  "valid_until": "2099-01-31"}))
    check(send(client, "post", "/api/v1/quotes/", {"price_book": catalog.book.pk,
                                                  "valid_until": "soon", "extra": 1}))
    lines = check(send(client, "put", f"{url}/lines", {"lines": [
        {"product": catalog.seat.pk, "quantity": "2", "discount_percent": "12.5"}]}))
    assert lines.json()["status"] == "pending"
    check(send(client, "post", f"{url}/send"))
    check(send(client, "post", f"{url}/approve", {"comment": ""}))  # a rep: 403
    check(send(manager, "post", f"{url}/reject", {"comment": "ลดได้ไม่เกิน 10%"}))
    check(send(client, "patch", url, {"discount_percent": "0.00"}))
    check(send(client, "put", f"{url}/lines", {"lines": [
        {"product": catalog.seat.pk, "quantity": "2", "discount_percent": "12.5"}]}))
    approved = check(send(manager, "post", f"{url}/approve", {"comment": "👍"}))
    assert approved.json()["status"] == "approved"
    sent = check(send(client, "post", f"{url}/send"))
    assert sent.status_code == 200
    check(client.get("/api/v1/quotes/", {"status": "sent"}))
    check(client.get(url))
    check(client.get("/api/v1/quotes/999999"))
    quote_accept(token=quote_token(Quote.objects.get(pk=created.json()["id"])))
    orders = check(client.get("/api/v1/orders/"))
    order_url = f"/api/v1/orders/{orders.json()['results'][0]['id']}"
    check(client.get(order_url))
    check(send(client, "post", f"{order_url}/status", {"status": "paid"}))
    check(send(client, "post", f"{order_url}/status", {"status": "placed"}))
    check(send(client, "post", f"{order_url}/status", {"status": "nope"}))
    check(send(client, "post", f"{url}/revise"))


def test_a_quote_for_an_opportunity_takes_its_customer_and_currency(org):
    catalog = make_catalog()
    pipeline = Pipeline.objects.create(name="New business", is_default=True)
    stage = Stage.objects.create(pipeline=pipeline, name="Proposal", position=1,
                                 probability=Decimal(50))
    contact = emailable_contact(org.owner, account=make_account(org.owner, "华为"))
    opportunity = record_create(model=Opportunity, user=org.owner, data={
        "name": "ระบบใหม่", "account": contact.account, "contact": contact,
        "pipeline": pipeline, "stage": stage, "currency": "THB", "probability": Decimal(50)})
    client = signed_in(org.owner)
    response = client.post("/quotes/new/", {"opportunity": opportunity.pk,
                                            "price_book": catalog.book.pk,
                                            "valid_until": "2099-06-30",
                                            "discount_percent": "0", "tax_percent": "7"})
    quote = Quote.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/quotes/{quote.pk}/"
    assert (quote.account, quote.contact, quote.currency) == (contact.account, contact, "THB")
    assert quote.number == f"Q-{quote.pk:06d}" and quote.owner == org.owner
    # (The quote's page links its opportunity's page, which the pipelines pages bring.)
    client.post(f"/quotes/{quote.pk}/lines/", {"product": catalog.seat.pk, "quantity": "2"})
    quote.refresh_from_db()
    assert quote.total == Decimal("2140.00")
    client.post(f"/quotes/{quote.pk}/lines/", {"product": catalog.unpriced.pk, "quantity": "1"})
    assert quote.lines.count() == 1
    # Another team's opportunity cannot be quoted by guessing its id.
    outsider = signed_in(org.outsider).post("/quotes/new/", {
        "opportunity": opportunity.pk, "price_book": catalog.book.pk,
        "valid_until": "2099-06-30", "discount_percent": "0", "tax_percent": "0"})
    assert outsider.status_code == 422 and Quote.objects.count() == 1
    other = make_account(org.owner, "Other Co")
    mismatch = client.post("/quotes/new/", {
        "opportunity": opportunity.pk, "account": other.pk, "price_book": catalog.book.pk,
        "valid_until": "2099-06-30", "discount_percent": "0", "tax_percent": "0"})
    assert mismatch.status_code == 422 and "another account" in mismatch.content.decode()
    assert Quote.objects.count() == 1


def test_lines_are_added_and_refused_from_the_quote_page(org):
    catalog = make_catalog()
    contact = emailable_contact(org.owner, account=make_account(org.owner))
    client = signed_in(org.owner)
    client.post("/quotes/new/", {"contact": contact.pk, "price_book": catalog.book.pk,
                                 "valid_until": "2099-06-30", "discount_percent": "0",
                                 "tax_percent": "0"})
    quote = Quote.objects.get()
    added = client.post(f"/quotes/{quote.pk}/lines/", {"product": catalog.seat.pk,
                                                       "quantity": "2"}, follow=True)
    assert "2000.00" in added.content.decode()
    refused = client.post(f"/quotes/{quote.pk}/lines/", {"product": catalog.unpriced.pk,
                                                         "quantity": "1"}, follow=True)
    assert "软件许可证" in refused.content.decode() and quote.lines.count() == 1
    bad = client.post(f"/quotes/{quote.pk}/lines/", {"product": catalog.seat.pk,
                                                     "quantity": "abc"}, follow=True)
    assert "Quantity" in bad.content.decode() and quote.lines.count() == 1
    line = quote.lines.get()
    client.post(f"/quotes/{quote.pk}/lines/{line.pk}/remove/")
    assert not quote.lines.exists()
    edit = client.post(f"/quotes/{quote.pk}/edit/", {
        "contact": contact.pk, "price_book": catalog.book.pk, "currency": "THB",
        "valid_until": "2099-07-31", "discount_percent": "3", "tax_percent": "7",
        "terms": "ชำระภายใน 30 วัน", "version": quote.version})
    assert edit.status_code == 204 and edit["HX-Redirect"] == f"/quotes/{quote.pk}/"
    quote.refresh_from_db()
    assert quote.terms == "ชำระภายใน 30 วัน" and quote.discount_percent == Decimal(3)


def test_terms_with_markup_are_shown_as_text(org):
    catalog = make_catalog()
    contact = emailable_contact(org.owner, account=make_account(org.owner))
    from tests.sales.quote_helpers import make_quote

    quote = make_quote(org.owner, catalog, contact=contact,
                       terms="<script>alert('x')</script> ชำระ 30 วัน")
    page = signed_in(org.owner).get(f"/quotes/{quote.pk}/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
