"""Discount approval: over the threshold a quote waits for a sales manager, and cannot
be sent until approved; a rejection says why."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amity.integrations.models import OutboundEmail
from amity.sales.models import QuoteStatus
from amity.sales.quote_links import quote_send
from amity.sales.quote_services import (
    quote_approve,
    quote_reject,
    quote_set_lines,
    quote_update,
)
from tests.conftest import signed_in
from tests.sales.quote_helpers import emailable_contact, make_catalog, make_quote

pytestmark = pytest.mark.django_db


def link(token: str) -> str:
    return f"https://crm.example/q/{token}/"


@pytest.fixture
def discounted(org, settings):
    settings.QUOTE_APPROVAL_DISCOUNT = "15"
    catalog = make_catalog()
    contact = emailable_contact(org.owner)
    quote = make_quote(org.owner, catalog, contact=contact, lines=[
        {"product": catalog.seat.pk, "quantity": "2", "discount_percent": "20"}])
    return catalog, quote


def test_a_discount_over_the_threshold_waits_for_approval_and_cannot_be_sent(org, discounted):
    _catalog, quote = discounted
    assert quote.status == QuoteStatus.PENDING_APPROVAL
    with pytest.raises(ValidationError, match="approval"):
        quote_send(quote=quote, user=org.owner, link_for=link)
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.PENDING_APPROVAL and quote.sent_at is None
    assert not OutboundEmail.objects.exists()


def test_the_send_button_says_why_it_was_refused(org, discounted):
    _catalog, quote = discounted
    response = signed_in(org.owner).post(f"/quotes/{quote.pk}/send/", follow=True)
    assert "approval" in response.content.decode()
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.PENDING_APPROVAL


def test_a_quote_discount_counts_too(org, settings):
    settings.QUOTE_APPROVAL_DISCOUNT = "10"
    catalog = make_catalog()
    quote = make_quote(org.owner, catalog, discount_percent=Decimal("5"), lines=[
        {"product": catalog.seat.pk, "quantity": "1", "discount_percent": "6"}])
    # 6% on the line then 5% on the quote: 10.7% off the list price.
    assert quote.status == QuoteStatus.PENDING_APPROVAL


def test_a_rep_cannot_approve_a_manager_can_and_then_it_sends(org, discounted):
    _catalog, quote = discounted
    with pytest.raises(PermissionDenied):
        quote_approve(quote=quote, user=org.teammate)
    quote = quote_approve(quote=quote, user=org.manager, comment="ลูกค้ารายใหญ่")
    assert quote.status == QuoteStatus.APPROVED and quote.approved_by == org.manager
    quote_send(quote=quote, user=org.owner, link_for=link)
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SENT


def test_a_bigger_discount_after_approval_needs_approval_again(org, discounted):
    catalog, quote = discounted
    quote = quote_approve(quote=quote, user=org.admin)
    quote = quote_set_lines(quote=quote, user=org.owner, lines=[
        {"product": catalog.seat.pk, "quantity": "3", "discount_percent": "20"}])
    assert quote.status == QuoteStatus.APPROVED  # same discount, more seats
    quote = quote_update(quote=quote, user=org.owner, data={"discount_percent": Decimal("3")})
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.PENDING_APPROVAL


def test_a_rejection_needs_a_reason_and_the_quote_still_cannot_be_sent(org, discounted):
    _catalog, quote = discounted
    with pytest.raises(ValidationError) as exc:
        quote_reject(quote=quote, user=org.manager, comment="  ")
    assert "comment" in exc.value.message_dict
    quote = quote_reject(quote=quote, user=org.manager, comment="ส่วนลดสูงเกินไป")
    assert quote.status == QuoteStatus.DRAFT and quote.approval_comment == "ส่วนลดสูงเกินไป"
    with pytest.raises(ValidationError, match="approval"):
        quote_send(quote=quote, user=org.owner, link_for=link)
    page = signed_in(org.owner).get(f"/quotes/{quote.pk}/").content.decode()
    assert "ส่วนลดสูงเกินไป" in page


def test_lowering_the_discount_under_the_threshold_needs_no_approval(org, discounted):
    catalog, quote = discounted
    quote = quote_set_lines(quote=quote, user=org.owner, lines=[
        {"product": catalog.seat.pk, "quantity": "2", "discount_percent": "15"}])
    assert quote.status == QuoteStatus.DRAFT


def test_a_manager_approves_from_the_page_with_a_comment(org, discounted):
    _catalog, quote = discounted
    page = signed_in(org.manager).get(f"/quotes/{quote.pk}/").content.decode()
    assert f"/quotes/{quote.pk}/approve/" in page
    assert f"/quotes/{quote.pk}/approve/" not in \
        signed_in(org.owner).get(f"/quotes/{quote.pk}/").content.decode()
    signed_in(org.manager).post(f"/quotes/{quote.pk}/approve/", {"comment": "OK 👍"})
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.APPROVED and quote.approval_comment == "OK 👍"


def test_the_threshold_is_a_setting(org, settings):
    settings.QUOTE_APPROVAL_DISCOUNT = "25"
    catalog = make_catalog()
    quote = make_quote(org.owner, catalog, lines=[
        {"product": catalog.seat.pk, "quantity": "1", "discount_percent": "20"}])
    assert quote.status == QuoteStatus.DRAFT


def test_the_reps_managers_hear_of_the_request_and_the_rep_of_the_decision(org, discounted):
    from amity.collaboration.models import Notification
    from amity.org.models import Role, User

    # A sales manager of another branch of the tree is not asked.
    User.objects.create(username="west-manager", email="wm@example.com", team=org.west,
                        role=Role.objects.get(key="sales_manager"))
    _catalog, quote = discounted
    asked = Notification.objects.filter(kind="quote_approval_needed", record_id=quote.pk)
    assert [n.recipient for n in asked] == [org.manager]
    assert asked.get().title == f"{quote.number}: a discount of 20 % waits for your approval"
    quote_reject(quote=quote, user=org.manager, comment="ส่วนลดสูงเกินไป")
    told = Notification.objects.filter(kind="quote_approval_decided", recipient=org.owner)
    assert told.get().title == f"manager refused the discount on {quote.number}: ส่วนลดสูงเกินไป"


def test_without_a_manager_above_the_rep_administrators_are_asked(org, settings):
    from amity.collaboration.models import Notification

    org.manager.is_active = False
    org.manager.save()
    settings.QUOTE_APPROVAL_DISCOUNT = "15"
    catalog = make_catalog()
    quote = make_quote(org.owner, catalog, contact=emailable_contact(org.owner), lines=[
        {"product": catalog.seat.pk, "quantity": "1", "discount_percent": "30"}])
    asked = Notification.objects.filter(kind="quote_approval_needed", record_id=quote.pk)
    assert [n.recipient for n in asked] == [org.admin]
