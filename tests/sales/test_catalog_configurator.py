"""The configurator checks a selection against the rules, adds defaults, adjusts prices
and prices every line from the book, explaining each refusal by product and rule."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from amity.sales.configurator import configure
from amity.sales.models import PriceBookEntry
from tests.sales.catalog_data import product, rule, standard_book

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def book():
    return standard_book()


@pytest.fixture
def laptop(book):
    return product("LAP", "แล็ปท็อป", ("1", "30000.00"), ("10", "27500.50"), book=book)


@pytest.fixture
def dock(book):
    return product("DOCK", "แท่นวาง", ("1", "4990.00"), book=book)


@pytest.fixture
def adapter(book):
    return product("PWR", "อะแดปเตอร์", ("1", "890.00"), book=book)


def messages(result) -> list[str]:
    return [r.message for r in result.refusals]


def test_lines_are_priced_from_the_tier_their_quantity_reaches(book, laptop, dock):
    result = configure(selection=[(laptop, D(12)), (dock, D("1.5"))], book=book)
    assert result.ok
    assert [(line.unit_price, line.total) for line in result.lines] == [
        (D("27500.50"), D("330006.00")), (D("4990.00"), D("7485.00"))]
    assert result.total == D("337491.00")
    assert isinstance(result.total, Decimal)


def test_a_product_given_twice_counts_once_with_its_quantities_summed(book, laptop):
    result = configure(selection=[(laptop, D(6)), (laptop, D(4))], book=book)
    assert [(line.quantity, line.unit_price) for line in result.lines] == [(D(10), D("27500.50"))]


def test_requires_refuses_and_names_both_products_and_the_rule(book, laptop, dock):
    rule(laptop, "requires", dock, name="Laptops ship with a dock")
    result = configure(selection=[(laptop, D(1))], book=book)
    assert not result.ok
    with translation.override("en"):
        result = configure(selection=[(laptop, D(1))], book=book)
    assert messages(result) == [
        "Because แล็ปท็อป is selected, แท่นวาง is needed too (rule “Laptops ship with a dock”). "
        "Add แท่นวาง."]
    assert result.refusals[0].code == "requires"
    assert configure(selection=[(laptop, D(1)), (dock, D(1))], book=book).ok


def test_a_chain_of_requirements_lists_everything_still_missing(book, laptop, dock, adapter):
    rule(laptop, "requires", dock, name="R1")
    rule(dock, "requires", adapter, name="R2")
    with translation.override("en"):
        result = configure(selection=[(laptop, D(1))], book=book)
    assert messages(result) == [
        "Because แล็ปท็อป is selected, แท่นวาง is needed too (rule “R1”). "
        "Add แท่นวาง and อะแดปเตอร์."]


def test_a_cycle_of_requirements_ends_and_is_satisfied_by_choosing_both(book, laptop, dock,
                                                                        adapter):
    rule(laptop, "requires", dock, name="A needs B")
    rule(dock, "requires", adapter, name="B needs C")
    rule(adapter, "requires", laptop, name="C needs A")
    result = configure(selection=[(dock, D(1))], book=book)
    assert [r.code for r in result.refusals] == ["requires"]
    assert {p.code for p in result.refusals[0].products} == {"DOCK", "PWR", "LAP"}
    assert configure(selection=[(laptop, D(1)), (dock, D(1)), (adapter, D(1))], book=book).ok


def test_excludes_refuses_the_combination_once(book, laptop, dock):
    rule(laptop, "excludes", dock, name="No dock")
    rule(dock, "excludes", laptop, name="No laptop")
    with translation.override("en"):
        result = configure(selection=[(laptop, D(1)), (dock, D(1))], book=book)
    assert len(result.refusals) == 1
    assert result.refusals[0].code == "excludes"
    assert {p.code for p in result.refusals[0].products} == {"LAP", "DOCK"}
    assert "cannot be part of the selection (rule “No" in result.refusals[0].message
    assert configure(selection=[(laptop, D(1))], book=book).ok


def test_a_default_option_is_added_and_chains_unless_declined(book, laptop, dock, adapter):
    rule(laptop, "add_default", dock, then_quantity=D(2))
    rule(dock, "add_default", adapter)
    rule(adapter, "add_default", laptop)  # a cycle of defaults ends too
    result = configure(selection=[(laptop, D(1))], book=book)
    assert [(line.product.code, line.quantity) for line in result.lines] == [
        ("LAP", D(1)), ("DOCK", D(2)), ("PWR", D(1))]
    assert result.lines[1].added_by_rule_id is not None
    declined = configure(selection=[(laptop, D(1))], book=book, declined=[dock])
    assert [line.product.code for line in declined.lines] == ["LAP"]


def test_a_default_option_can_satisfy_a_requirement(book, laptop, dock):
    rule(laptop, "requires", dock)
    rule(laptop, "add_default", dock)
    assert configure(selection=[(laptop, D(1))], book=book).ok


def test_volume_discount_from_a_quantity_threshold(book, laptop):
    rule(laptop, "adjust_price", condition="quantity_at_least", min_quantity=D(20),
         then_adjust_by="percent", then_adjust_value=D("-7.5"), name="Volume")
    small = configure(selection=[(laptop, D(19))], book=book)
    assert small.total == D("522509.50")
    big = configure(selection=[(laptop, D(20))], book=book)
    line = big.lines[0]
    assert line.list_total == D("550010.00")
    assert [a.amount for a in line.adjustments] == [D("-41250.75")]
    assert line.total == big.total == D("508759.25")


def test_an_option_adjusts_another_products_price_and_else_branch_applies(book, laptop, dock):
    rule(dock, "adjust_price", then_product=laptop, then_adjust_by="amount",
         then_adjust_value=D("-1000"), else_action="adjust_price", else_product=laptop,
         else_adjust_by="percent", else_adjust_value=D("10"), name="Bundle")
    with_dock = configure(selection=[(laptop, D(2)), (dock, D(1))], book=book)
    assert with_dock.lines[0].total == D("58000.00")
    alone = configure(selection=[(laptop, D(2))], book=book)
    assert alone.lines[0].total == D("66000.00")
    with translation.override("en"):
        alone = configure(selection=[(laptop, D(2))], book=book)
    assert alone.lines[0].adjustments[0].explanation == (
        "10% surcharge on แล็ปท็อป (THB6,000.00) because แท่นวาง is not selected "
        "(rule “Bundle”).")


def test_adjustments_never_make_a_line_negative(book, dock):
    rule(dock, "adjust_price", then_adjust_by="amount", then_adjust_value=D("-99999"))
    assert configure(selection=[(dock, D(1))], book=book).total == D("0.00")


def test_decimal_prices_stay_exact_over_many_lines(book):
    items = [product(f"P{i}", f"ชิ้นที่ {i}", ("0", "0.10"), book=book) for i in range(30)]
    result = configure(selection=[(item, D("0.01")) for item in items] +
                       [(items[0], D("3"))], book=book)
    # 0.10 × 0.01 = 0.001 rounds to 0.00 per line, 0.10 × 3.01 = 0.301 → 0.30
    assert result.total == D("0.30")
    result = configure(selection=[(items[1], D("0.05"))], book=book)
    assert result.total == D("0.01")  # 0.005 rounds half up


def test_bad_quantities_missing_prices_and_inactive_products_are_refused(book, laptop):
    retired = product("OLD", "老产品", ("1", "5"), book=book, active=False)
    unpriced = product("NEW", "محصول تازه")
    result = configure(selection=[(laptop, D(0)), (laptop, D("1.001")), (laptop, D("NaN")),
                                  (laptop, D("1e12")), (retired, D(1)), (unpriced, D(1))],
                       book=book)
    assert [r.code for r in result.refusals] == ["quantity"] * 4 + ["inactive", "no_price"]
    assert "محصول تازه" in result.refusals[-1].message
    assert result.lines == []


def test_a_book_out_of_its_validity_refuses(book, laptop):
    book.valid_until = dt.date(2020, 1, 31)
    book.save()
    result = configure(selection=[(laptop, D(1))], book=book, on=dt.date(2020, 2, 1))
    assert [r.code for r in result.refusals] == ["book"]
    assert configure(selection=[(laptop, D(1))], book=book, on=dt.date(2020, 1, 31)).ok


def test_inactive_rules_are_ignored(book, laptop, dock):
    rule(laptop, "requires", dock, active=False)
    assert configure(selection=[(laptop, D(1))], book=book).ok


def test_nothing_is_stored_by_configuring(book, laptop, dock):
    rule(laptop, "add_default", dock)
    before = PriceBookEntry.objects.count()
    configure(selection=[(laptop, D(1))], book=book)
    assert PriceBookEntry.objects.count() == before


@pytest.mark.parametrize(("language", "words"), [
    ("en", ["Because", "is needed too", "rule “ชุดพร้อมใช้”"]),
    ("th", ["เพราะ", "จึงต้องมี", "กฎ “ชุดพร้อมใช้”"]),
    ("fa", ["چون", "هم لازم است", "قاعدهٔ «ชุดพร้อมใช้»"]),
    ("zh-hans", ["因为", "还需要", "规则“ชุดพร้อมใช้”"]),
])
def test_refusals_and_adjustments_are_explained_in_four_languages(book, laptop, dock, language,
                                                                  words):
    rule(laptop, "requires", dock, name="ชุดพร้อมใช้")
    rule(laptop, "adjust_price", condition="quantity_at_least", min_quantity=D(10),
         then_adjust_by="percent", then_adjust_value=D(-5), name="ปริมาณ")
    with translation.override(language):
        result = configure(selection=[(laptop, D(12))], book=book)
    message = result.refusals[0].message
    assert all(word in message for word in words), message
    assert "แล็ปท็อป" in message and "แท่นวาง" in message
    explanation = result.lines[0].adjustments[0].explanation
    assert "ปริมาณ" in explanation and "แล็ปท็อป" in explanation
    if language == "fa":
        assert "۱۰" in explanation and "۱۶" in explanation  # Persian digits
