"""Quotes follow the product configuration rules: a combination a rule excludes is
refused when the lines are set, a quote missing a product another one requires cannot be
sent until it is added, and price adjustments change the line, the totals, the PDF and
the order."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from amity.integrations.models import OutboundEmail
from amity.sales.models import Product, QuoteStatus
from amity.sales.quote_links import quote_accept, quote_send, quote_token
from amity.sales.quote_pdf import quote_context
from amity.sales.quote_services import quote_revise, quote_set_lines
from tests.conftest import make_account, signed_in
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


def volume_discount(catalog, percent: str = "-20"):
    """From 10 seats on, the seats' line costs `percent` % of its list price more."""
    return rule(catalog.seat, "adjust_price", condition="quantity_at_least",
                min_quantity=Decimal(10), then_adjust_by="percent",
                then_adjust_value=Decimal(percent))


def test_a_volume_discount_rule_lowers_the_line_and_needs_no_approval(org, quote):
    catalog, draft = quote
    volume_discount(catalog)  # 20 %: over the 15 % a rep may give without approval
    quote_set_lines(quote=draft, user=org.owner, lines=[
        {"product": catalog.seat.pk, "quantity": "10"}, {"product": catalog.support.pk}])
    line = draft.lines.get(product=catalog.seat)
    # 10 seats at the 900.00 tier = 9,000.00, less 20 %.
    assert line.adjustment == Decimal("-1800.00") and line.net_amount == Decimal("7200.00")
    assert catalog.seat.name in line.adjustment_note
    draft.refresh_from_db()
    assert draft.subtotal == Decimal("7533.33")
    assert draft.status == QuoteStatus.DRAFT  # the rule's discount is policy, not the rep's
    send(draft, org.owner)


def test_below_the_rule_quantity_the_list_price_stands(org, quote):
    catalog, draft = quote
    volume_discount(catalog)
    quote_set_lines(quote=draft, user=org.owner, lines=[
        {"product": catalog.seat.pk, "quantity": "9"}])
    line = draft.lines.get()
    assert line.adjustment == 0 and line.net_amount == Decimal("9000.00")  # 9 × 1,000.00


def test_a_reps_discount_on_top_of_the_rule_still_needs_approval(org, quote):
    catalog, draft = quote
    volume_discount(catalog, "-10")
    quote_set_lines(quote=draft, user=org.owner, lines=[
        {"product": catalog.seat.pk, "quantity": "10", "discount_percent": "20"}])
    line = draft.lines.get()
    # 9,000.00 less the rep's 20 % = 7,200.00, less the rule's 900.00.
    assert line.net_amount == Decimal("6300.00")
    draft.refresh_from_db()
    assert draft.status == QuoteStatus.PENDING_APPROVAL


def test_the_adjustment_shows_on_the_page_and_pdf_and_stays_on_the_revision_and_order(
        org, quote):
    catalog, draft = quote
    volume_discount(catalog)
    draft = quote_set_lines(quote=draft, user=org.owner, lines=[
        {"product": catalog.seat.pk, "quantity": "12"}])
    page = signed_in(org.owner).get(draft.get_absolute_url()).content.decode()
    assert "Price adjustment" in page and "-2160.00" in page
    pdf_line = quote_context(draft, "th")["lines"][0]
    assert "2,160.00" in pdf_line["adjustment"] and "8,640.00" in pdf_line["amount"]
    send(draft, org.owner)
    revision = quote_revise(quote=draft, user=org.owner)
    assert revision.lines.get().adjustment == Decimal("-2160.00")
    assert revision.total == draft.total
    send(revision, org.owner)
    order = quote_accept(token=quote_token(revision))
    ordered = order.lines.get()
    assert ordered.adjustment == Decimal("-2160.00") and ordered.net_amount == Decimal("8640.00")
