"""Quotes follow the product configuration rules: a combination a rule excludes is
refused when the lines are set, and a quote missing a product another one requires
cannot be sent until it is added."""

import pytest
from django.core.exceptions import ValidationError

from amity.integrations.models import OutboundEmail
from amity.sales.models import Product, QuoteStatus
from amity.sales.quote_links import quote_send
from amity.sales.quote_services import quote_set_lines
from tests.conftest import make_account
from tests.sales.catalog_data import rule
from tests.sales.quote_helpers import emailable_contact, make_catalog, make_quote

pytestmark = pytest.mark.django_db


def send(quote, user):
    return quote_send(quote=quote, user=user, link_for=lambda token: f"http://x/q/{token}/")


@pytest.fixture
def quote(org):
    catalog = make_catalog()
    contact = emailable_contact(org.owner, account=make_account(org.owner, "สยามเฟรช"))
    return catalog, make_quote(org.owner, catalog, contact=contact)


def test_an_excluded_combination_is_refused_and_the_lines_stay(org, quote):
    catalog, draft = quote
    rule(catalog.seat, "excludes", catalog.support)
    quote_set_lines(quote=draft, user=org.owner, lines=[{"product": catalog.seat.pk}])
    with pytest.raises(ValidationError) as caught:
        quote_set_lines(quote=draft, user=org.owner, lines=[
            {"product": catalog.seat.pk}, {"product": catalog.support.pk}])
    assert catalog.support.name in caught.value.message_dict["lines"][0]
    assert [line.product for line in draft.lines.all()] == [catalog.seat]


def test_a_required_product_must_be_on_the_quote_before_it_is_sent(org, quote):
    catalog, draft = quote
    rule(catalog.seat, "requires", catalog.support)
    quote_set_lines(quote=draft, user=org.owner, lines=[{"product": catalog.seat.pk}])
    with pytest.raises(ValidationError) as caught:
        send(draft, org.owner)
    message = caught.value.message_dict["lines"][0]
    assert catalog.seat.name in message and catalog.support.name in message
    assert not OutboundEmail.objects.exists()
    quote_set_lines(quote=draft, user=org.owner, lines=[
        {"product": catalog.seat.pk}, {"product": catalog.support.pk}])
    send(draft, org.owner)
    draft.refresh_from_db()
    assert draft.status == QuoteStatus.SENT and OutboundEmail.objects.count() == 1


def test_rules_about_other_products_change_nothing(org, quote):
    catalog, draft = quote
    other = Product.objects.create(code="X", name="X")
    rule(other, "requires", catalog.support)
    quote_set_lines(quote=draft, user=org.owner, lines=[{"product": catalog.seat.pk}])
    send(draft, org.owner)
    draft.refresh_from_db()
    assert draft.status == QuoteStatus.SENT
