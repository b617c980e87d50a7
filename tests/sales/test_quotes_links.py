"""Sending a quote by email and the customer's answer through its signed link: accept
places the order (one transaction); tampered, expired, superseded and replayed links say
so; no email without the contact's consent."""

import datetime as dt
import io
import re
import time
from decimal import Decimal

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.test import Client
from pypdf import PdfReader

from amity.customers.services import consent_record
from amity.events.models import Event
from amity.integrations.models import OutboundEmail
from amity.sales import quote_links
from amity.sales.models import Order, Quote, QuoteStatus
from amity.sales.quote_links import quote_accept, quote_decline, quote_send, quote_token
from amity.sales.quote_services import quote_revise
from tests.conftest import make_account, make_contact, signed_in
from tests.integrations.conftest import run_queued_sends
from tests.sales.quote_helpers import emailable_contact, make_catalog, make_quote

pytestmark = pytest.mark.django_db


def link(token: str) -> str:
    return f"http://testserver/q/{token}/"


@pytest.fixture
def sent(org):
    catalog = make_catalog()
    account = make_account(org.owner, "บริษัท สยามเฟรช จำกัด")
    contact = emailable_contact(org.owner, given_name="สมชาย", account=account, language="th")
    quote = make_quote(org.owner, catalog, contact=contact, tax_percent=Decimal(7), lines=[
        {"product": catalog.seat.pk, "quantity": "2"},
        {"product": catalog.support.pk, "quantity": "1", "discount_percent": "10"}])
    quote_send(quote=quote, user=org.owner, link_for=link)
    quote.refresh_from_db()
    return quote


def old_token(quote: Quote, days: int) -> str:
    """A token signed `days` ago."""
    class Then(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - days * 86400)
    return Then(salt=quote_links.SALT).sign_object({"q": quote.pk, "r": quote.revision},
                                                   compress=True)


def test_the_customer_receives_the_quote_pdf_and_accepts_through_the_link(org, smtp_server):
    catalog = make_catalog()
    contact = emailable_contact(org.owner, given_name="สมชาย", language="th",
                                account=make_account(org.owner, "สยามเฟรช"))
    quote = make_quote(org.owner, catalog, contact=contact, lines=[
        {"product": catalog.seat.pk, "quantity": "3"}])
    signed_in(org.owner).post(f"/quotes/{quote.pk}/send/")
    assert run_queued_sends() == ["SUCCESSFUL"]
    [received] = smtp_server.received
    message = received.message
    assert received.rcpt_tos == ["somchai@example.com"]
    [pdf] = [part for part in message.iter_attachments()
             if part.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == f"{quote.number}-v1.pdf"
    text = PdfReader(io.BytesIO(pdf.get_content())).pages[0].extract_text()
    assert quote.number in text and "ที่นั่งซอฟต์แวร์" in text and "3,000.00" in text
    body = message.get_body(("plain",)).get_content()
    url = re.search(r"http://testserver(/q/[^/\s]+/)", body).group(1)
    customer = Client()
    page = customer.get(url)
    assert page.status_code == 200 and "ที่นั่งซอฟต์แวร์" in page.content.decode()
    done = customer.post(url, {"answer": "accept"})
    assert done.status_code == 200
    order = Order.objects.get(quote=quote)
    assert order.total == Decimal("3000.00") and order.lines.get().quantity == Decimal(3)
    assert order.owner == org.owner and order.contact == contact
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ACCEPTED


def test_sending_publishes_on_the_quote_and_the_customer(org, sent):
    assert sent.status == QuoteStatus.SENT and sent.sent_at
    for subject in (sent, sent.contact, sent.account):
        assert Event.objects.for_subject(subject).filter(kind="quote.sent").exists()


def test_no_consent_no_email_and_nothing_changes(org):
    catalog = make_catalog()
    contact = make_contact(org.owner, email="p@example.com")
    quote = make_quote(org.owner, catalog, contact=contact,
                       lines=[{"product": catalog.seat.pk, "quantity": "1"}])
    with pytest.raises(ValidationError, match="agreed to receive email"):
        quote_send(quote=quote, user=org.owner, link_for=link)
    consent_record(contact=contact, user=org.owner, channel="email", status="withdrawn",
                   method="email")
    with pytest.raises(ValidationError, match="agreed to receive email"):
        quote_send(quote=quote, user=org.owner, link_for=link)
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.DRAFT and not OutboundEmail.objects.exists()
    assert not Event.objects.filter(kind="quote.sent").exists()


def test_a_tampered_link_is_refused(org, sent):
    token = quote_token(sent)
    forged = signing.dumps({"q": sent.pk, "r": sent.revision}, salt="another purpose",
                           compress=True)
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged,
                "<script>alert(1)</script>", "x" * 3000):
        response = Client().get(f"/q/{bad}/")
        assert response.status_code in (404, 410)
        if response.status_code == 410:
            assert "This link is not valid." in response.content.decode()
        with pytest.raises(quote_links.LinkProblem):
            quote_accept(token=bad)
    assert not Order.objects.exists()


def test_an_expired_link_says_so(org, sent, settings):
    settings.QUOTE_LINK_MAX_AGE_DAYS = 30
    response = Client().post(f"/q/{old_token(sent, 31)}/", {"answer": "accept"})
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert not Order.objects.exists()


def test_a_quote_past_its_validity_date_cannot_be_accepted(org, sent):
    Quote.objects.filter(pk=sent.pk).update(valid_until=dt.date(2020, 1, 1))
    with pytest.raises(quote_links.LinkProblem, match="expired"):
        quote_accept(token=quote_token(sent))
    assert not Order.objects.exists()


def test_a_replayed_accept_places_one_order(org, sent):
    token = quote_token(sent)
    order = quote_accept(token=token)
    with pytest.raises(quote_links.LinkProblem, match="already accepted"):
        quote_accept(token=token)
    response = Client().get(f"/q/{token}/")
    assert response.status_code == 410 and "already accepted" in response.content.decode()
    assert list(Order.objects.all()) == [order]
    assert order.lines.count() == 2
    assert order.total == sent.total and order.tax_amount == sent.tax_amount


def test_a_declined_quote_keeps_the_reason_and_the_link_then_says_answered(org, sent):
    token = quote_token(sent)
    response = Client().post(f"/q/{token}/", {"answer": "decline",
                                               "reason": "ราคาสูงเกินไป — قیمت بالاست"})
    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.status == QuoteStatus.DECLINED
    assert sent.decline_reason == "ราคาสูงเกินไป — قیمت بالاست"
    assert Event.objects.for_subject(sent.contact).filter(kind="quote.declined").exists()
    assert "already declined" in Client().get(f"/q/{token}/").content.decode()
    with pytest.raises(quote_links.LinkProblem):
        quote_decline(token=token)
    assert not Order.objects.exists()


def test_a_superseded_version_link_points_to_the_newer_one(org, sent):
    token = quote_token(sent)
    new = quote_revise(quote=sent, user=org.owner)
    assert new.number == sent.number and new.revision == 2 and new.status == QuoteStatus.DRAFT
    assert new.lines.count() == 2 and new.total == sent.total
    response = Client().get(f"/q/{token}/")
    assert response.status_code == 410 and "newer version" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == QuoteStatus.SENT and not sent.is_editable
    page = signed_in(org.owner).get(f"/quotes/{new.pk}/").content.decode()
    assert f"/quotes/{sent.pk}/" in page  # the older version is listed


def test_an_old_version_is_read_only(org, sent):
    new = quote_revise(quote=sent, user=org.owner)
    from amity.sales.quote_services import quote_set_lines

    with pytest.raises(ValidationError) as exc:
        quote_set_lines(quote=sent, user=org.owner, lines=[])
    assert "status" in exc.value.message_dict
    assert sent.lines.count() == 2
    with pytest.raises(ValidationError):
        quote_revise(quote=sent, user=org.owner)
    assert Quote.objects.filter(number=new.number).count() == 2


def test_a_failure_while_placing_the_order_leaves_the_quote_sent(org, sent, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(quote_links, "order_from_quote", broken)
    with pytest.raises(RuntimeError):
        quote_accept(token=quote_token(sent))
    sent.refresh_from_db()
    assert sent.status == QuoteStatus.SENT and sent.answered_at is None
    assert not Order.objects.exists()
    assert not Event.objects.filter(kind="quote.accepted").exists()


def test_sent_quotes_past_their_date_expire_once(org, sent):
    from amity.sales.quote_links import quotes_expire

    assert quotes_expire(sent.valid_until) == 0
    later = sent.valid_until + dt.timedelta(days=1)
    assert quotes_expire(later) == 1 and quotes_expire(later) == 0
    sent.refresh_from_db()
    assert sent.status == QuoteStatus.EXPIRED
    assert Event.objects.for_subject(sent.contact).filter(kind="quote.expired").count() == 1
    assert "expired" in Client().get(f"/q/{quote_token(sent)}/").content.decode()
    assert quote_revise(quote=sent, user=org.owner).revision == 2
