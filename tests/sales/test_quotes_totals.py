"""Quote lines and totals: exact Decimal money, half-even rounding to the currency's
minor unit, prices from the book only, and nothing half-saved on bad input."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from amity.sales.models import PriceBook, PriceBookEntry, Product, Quote
from amity.sales.quote_lines import line_net, round_money
from amity.sales.quote_services import quote_set_lines, quote_update
from tests.conftest import make_account
from tests.sales.quote_helpers import make_catalog, make_quote

pytestmark = pytest.mark.django_db
D = Decimal


def test_totals_are_exact_decimals_with_line_and_quote_discounts_and_taxes(org):
    catalog = make_catalog()
    quote = make_quote(org.owner, catalog, tax_percent=D("7"), discount_percent=D("5"), lines=[
        {"product": catalog.seat.pk, "quantity": "3", "discount_percent": "10"},
        {"product": catalog.support.pk, "quantity": "1", "tax_percent": "0",
         "description": "ปีแรก"},
    ])
    seat, support = quote.lines.order_by("position")
    assert (seat.unit_price, seat.net_amount) == (D("1000.00"), D("2700.00"))
    assert (support.unit_price, support.net_amount) == (D("333.33"), D("333.33"))
    assert quote.subtotal == D("3033.33")
    assert quote.discount_amount == D("151.67")  # 151.6665 half-even
    # 7% on the seat's share after the 5% quote discount (2565.00); support is tax-free.
    assert quote.tax_amount == D("179.55")
    assert quote.total == D("3061.21")
    assert all(isinstance(v, Decimal) for v in (quote.subtotal, quote.tax_amount, quote.total))


def test_volume_tiers_reach_quote_lines(org):
    catalog = make_catalog()
    quote = make_quote(org.owner, catalog, lines=[{"product": catalog.seat.pk, "quantity": "12"}])
    assert quote.lines.get().unit_price == D("900.00") and quote.total == D("10800.00")


@pytest.mark.parametrize(("amount", "currency", "rounded"), [
    (D("0.125"), "THB", D("0.12")), (D("0.135"), "THB", D("0.14")),
    (D("1234.5"), "JPY", D("1234")), (D("1235.5"), "JPY", D("1236")),
    (D("1.0005"), "KWD", D("1.000")), (D("1.0015"), "KWD", D("1.002")),
])
def test_money_rounds_half_even_to_the_currencys_minor_unit(amount, currency, rounded):
    assert round_money(amount, currency) == rounded
    assert str(round_money(amount, currency)) == str(rounded)


def test_a_yen_quote_has_no_minor_unit(org):
    book = PriceBook.objects.create(name="Japan", currency="JPY")
    item = Product.objects.create(code="X", name="商品")
    PriceBookEntry.objects.create(price_book=book, product=item, unit_price=D("999"))
    account = make_account(org.owner)
    from amity.sales.quote_services import quote_create

    quote = quote_create(user=org.owner, data={"account": account, "currency": "JPY",
                                               "price_book": book,
                                               "valid_until": "2099-01-01",
                                               "tax_percent": D("10")})
    quote = quote_set_lines(quote=quote, user=org.owner, lines=[
        {"product": item.pk, "quantity": "1", "discount_percent": "33.33"}])
    assert quote.subtotal == D("666") and quote.tax_amount == D("67") and quote.total == D("733")
    assert line_net(quantity=D(1), unit_price=D(999), discount_percent=D("33.33"),
                    currency="JPY") == D("666")


def test_a_product_without_a_price_is_refused_by_name_and_nothing_changes(org):
    catalog = make_catalog()
    quote = make_quote(org.owner, catalog, lines=[{"product": catalog.seat.pk, "quantity": "1"}])
    with pytest.raises(ValidationError) as exc:
        quote_set_lines(quote=quote, user=org.owner, lines=[
            {"product": catalog.support.pk, "quantity": "2"},
            {"product": catalog.unpriced.pk, "quantity": "1"}])
    assert "软件许可证" in str(exc.value.message_dict["lines.1.product"])
    quote.refresh_from_db()
    assert [line.product for line in quote.lines.all()] == [catalog.seat]
    assert quote.total == D("1000.00")


def test_a_price_book_in_another_currency_is_refused(org):
    catalog = make_catalog()
    with pytest.raises(ValidationError) as exc:
        make_quote(org.owner, catalog, currency="USD")
    assert "THB" in str(exc.value.message_dict["price_book"])
    assert not Quote.objects.exists()


@pytest.mark.parametrize(("line", "field"), [
    ({"product": "1; DROP TABLE sales_quote", "quantity": "1"}, "lines.0.product"),
    ({"product": 999999, "quantity": "1"}, "lines.0.product"),
    ({"product": "", "quantity": "1"}, "lines.0.product"),
    ({"product": True, "quantity": "1"}, "lines.0.product"),
    ({"product": None, "quantity": "1e400"}, "lines.0.product"),
    ({"quantity": "NaN"}, "lines.0.quantity"),
    ({"quantity": "1e20"}, "lines.0.quantity"),
    ({"quantity": "-3"}, "lines.0.quantity"),
    ({"quantity": 0.1 + 0.2}, "lines.0.quantity"),  # a float's binary noise is no price
    ({"quantity": "1.005"}, "lines.0.quantity"),
    ({"quantity": "1", "discount_percent": "101"}, "lines.0.discount_percent"),
    ({"quantity": "1", "tax_percent": "💰"}, "lines.0.tax_percent"),
])
def test_bad_line_values_are_refused_naming_the_field(org, line, field):
    catalog = make_catalog()
    quote = make_quote(org.owner, catalog)
    line = {"product": catalog.seat.pk, **line} if "product" not in line else line
    with pytest.raises(ValidationError) as exc:
        quote_set_lines(quote=quote, user=org.owner, lines=[line])
    assert field in exc.value.message_dict
    assert not quote.lines.exists()


def test_a_float_quantity_from_python_is_exact_when_it_has_two_decimals(org):
    catalog = make_catalog()
    quote = make_quote(org.owner, catalog,
                       lines=[{"product": catalog.support.pk, "quantity": 2.5}])
    assert quote.lines.get().net_amount == D("833.32")  # 833.325 half-even: to the even 2


def test_changing_the_quote_discount_recomputes_the_totals(org):
    catalog = make_catalog()
    quote = make_quote(org.owner, catalog, lines=[{"product": catalog.seat.pk, "quantity": "2"}])
    quote = quote_update(quote=quote, user=org.owner, data={"discount_percent": D("2.5")})
    quote.refresh_from_db()
    assert (quote.discount_amount, quote.total) == (D("50.00"), D("1950.00"))


def test_another_price_book_prices_every_line_again_or_changes_nothing(org):
    catalog = make_catalog()
    quote = make_quote(org.owner, catalog, lines=[{"product": catalog.seat.pk, "quantity": "2"}])
    partner = PriceBook.objects.create(name="Partner", currency="THB")
    PriceBookEntry.objects.create(price_book=partner, product=catalog.seat,
                                  unit_price=D("850.00"))
    quote = quote_update(quote=quote, user=org.owner, data={"price_book": partner})
    assert quote.lines.get().unit_price == D("850.00") and quote.total == D("1700.00")
    empty = PriceBook.objects.create(name="Empty", currency="THB")
    with pytest.raises(ValidationError, match="ที่นั่งซอฟต์แวร์"):
        quote_update(quote=quote, user=org.owner, data={"price_book": empty})
    quote.refresh_from_db()
    assert quote.price_book == partner and quote.total == D("1700.00")
