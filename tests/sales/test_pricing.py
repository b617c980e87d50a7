from decimal import Decimal

import pytest

from amity.sales.models import PriceBook, PriceBookEntry, Product
from amity.sales.pricing import NoPrice, unit_price

pytestmark = pytest.mark.django_db


def test_the_volume_tier_a_quantity_reaches_sets_the_unit_price():
    book = PriceBook.objects.create(name="ราคามาตรฐาน", currency="THB", is_standard=True)
    seat = Product.objects.create(code="SEAT", name="ที่นั่ง")
    for minimum, price in (("1", "1000"), ("10", "900"), ("100", "750")):
        PriceBookEntry.objects.create(price_book=book, product=seat,
                                      min_quantity=Decimal(minimum), unit_price=Decimal(price))
    assert unit_price(book=book, product=seat, quantity=Decimal(1)) == Decimal("1000")
    assert unit_price(book=book, product=seat, quantity=Decimal("9.5")) == Decimal("1000")
    assert unit_price(book=book, product=seat, quantity=Decimal(10)) == Decimal("900")
    assert unit_price(book=book, product=seat, quantity=Decimal(5000)) == Decimal("750")


def test_a_product_missing_from_the_book_is_refused_by_name():
    book = PriceBook.objects.create(name="Partner", currency="CNY")
    other = PriceBook.objects.create(name="Partner", currency="USD")
    seat = Product.objects.create(code="SEAT", name="座位")
    PriceBookEntry.objects.create(price_book=other, product=seat, unit_price=Decimal(10))
    with pytest.raises(NoPrice, match="座位"):
        unit_price(book=book, product=seat, quantity=Decimal(1))
