"""A small catalogue and quotes built through the services, for the quote tests."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from amity.customers.services import consent_record
from amity.sales.models import PriceBook, PriceBookEntry, Product, Quote
from amity.sales.quote_services import quote_create, quote_set_lines
from tests.conftest import make_account, make_contact


@dataclass
class Catalog:
    book: PriceBook
    seat: Product  # 1,000.00 THB; 900.00 from 10
    support: Product  # 333.33 THB
    unpriced: Product  # not in the book


def make_catalog(currency: str = "THB") -> Catalog:
    book = PriceBook.objects.create(name="มาตรฐาน", currency=currency, is_standard=True)
    seat = Product.objects.create(code="SEAT", name="ที่นั่งซอฟต์แวร์")
    support = Product.objects.create(code="SUP", name="پشتیبانی سالانه")
    unpriced = Product.objects.create(code="NOPE", name="软件许可证")
    for product, minimum, price in ((seat, "1", "1000.00"), (seat, "10", "900.00"),
                                    (support, "1", "333.33")):
        PriceBookEntry.objects.create(price_book=book, product=product,
                                      min_quantity=Decimal(minimum), unit_price=Decimal(price))
    return Catalog(book, seat, support, unpriced)


def emailable_contact(user, **data):
    contact = make_contact(user, email=data.pop("email", "somchai@example.com"), **data)
    consent_record(contact=contact, user=user, channel="email", status="granted",
                   method="web_form")
    return contact


def make_quote(user, catalog: Catalog, *, contact=None, lines=None, **data) -> Quote:
    account = make_account(user, "Siam Fresh Foods") if contact is None else contact.account
    quote = quote_create(user=user, data={
        "account": account, "contact": contact, "currency": catalog.book.currency,
        "price_book": catalog.book, "valid_until": timezone.localdate() + dt.timedelta(days=30),
        **data})
    if lines:
        quote = quote_set_lines(quote=quote, user=user, lines=lines)
    return Quote.objects.get(pk=quote.pk)
