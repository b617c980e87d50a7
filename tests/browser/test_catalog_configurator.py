"""In a real browser: a rep picks products in the configurator and sees, live, the rule
that refuses the selection in their language, then the priced lines once it is fixed."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import make_user
from tests.sales.catalog_data import product, rule, standard_book

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_configurator_explains_and_prices_live(page, transactional_db):
    rep = make_user("somchai", "sales_rep", language="th")
    book = standard_book()
    laptop = product("LAP", "แล็ปท็อป", ("1", "30000"), ("10", "27500.50"), book=book)
    dock = product("DOCK", "แท่นวาง", ("1", "4990"), book=book)
    rule(laptop, "requires", dock, name="ต้องมีแท่นวาง")

    sign_in(page, rep)
    page.goto("/catalog/configurator/")
    result = page.locator("#configuration-result")
    page.locator("#id_form-0-product").select_option(str(laptop.pk))
    expect(result).to_contain_text("ต้องมีแท่นวาง")
    expect(result.locator("[data-code=requires]")).to_contain_text("แท่นวาง")
    page.locator("#id_form-0-quantity").fill("10")
    page.locator("button[name=add_row]").click()
    page.locator("#id_form-1-product").select_option(str(dock.pk))
    page.locator("#id_form-1-quantity").fill("1")
    page.locator("#id_form-1-quantity").dispatch_event("change")
    expect(result.locator("[data-code]")).to_have_count(0)
    expect(result).to_contain_text("279,995.00")  # 10 × 27,500.50 + 4,990.00
