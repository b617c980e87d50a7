"""The customer 360 panels in a real browser: add a second email and make it primary,
all inline; the contact page at phone width, left-to-right and right-to-left."""

import pytest
from playwright.sync_api import expect

from amity.customers import services
from tests.browser.conftest import PHONE, sign_in
from tests.browser.test_flows import NO_PAGE_OVERFLOW, switch_language
from tests.conftest import make_account, make_contact, make_user

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_add_a_second_email_and_make_it_primary(page, transactional_db):
    rep = make_user("somchai", "sales_rep")
    contact = make_contact(rep, "ใจดี", given_name="สมชาย", email="somchai@old.example")
    sign_in(page, rep)
    page.goto(contact.get_absolute_url())
    panel = page.locator("#contact-points")

    panel.get_by_role("textbox", name="Email").fill("not an email")
    panel.get_by_role("button", name="Add email").click()
    expect(panel.locator('[data-field="email"]')).to_be_visible()
    expect(panel.get_by_role("textbox", name="Email")).to_have_value("not an email")

    panel.get_by_role("textbox", name="Email").fill("Somchai@NEW.example")
    panel.get_by_role("button", name="Add email").click()
    expect(panel.locator("li", has_text="somchai@new.example")).to_be_visible()
    panel.locator("li", has_text="somchai@new.example").get_by_role(
        "button", name="Make primary").click()

    expect(panel.locator("li", has_text="somchai@new.example")).to_contain_text("Primary")
    expect(page.locator("#facts")).to_contain_text("somchai@new.example")
    expect(page.locator("#history")).to_contain_text("somchai@old.example")
    contact.refresh_from_db()
    assert contact.email == "somchai@new.example"
    assert list(contact.other_emails.values_list("email", flat=True)) == ["somchai@old.example"]


def test_contact_page_at_phone_width_in_both_directions(new_page, transactional_db):
    rep = make_user("parisa", "sales_rep")
    account = make_account(rep, "Northern Agricultural Cooperative Export Company Limited")
    contact = make_contact(rep, "رضایی", given_name="پریسا", account=account,
                           email="parisa.rezaei.with.a.long.address@example-company.co.ir",
                           phone="+98 912 130 0303", tags=["مشتری ویژه", "VIP"])
    services.contact_email_add(contact=contact, user=rep,
                               email="another.really.long.address.for.testing@example.org")
    services.address_add(record=contact, user=rep, data={
        "street": "تهران، خیابان ولیعصر، بالاتر از میدان ونک، کوچه‌ی بسیار طولانی، پلاک ۱۲",
        "city": "تهران", "country": "IR"})
    services.membership_add(contact=contact, user=rep, account_id=account.pk,
                            role="decision maker", title="Chief Procurement Officer")
    page = new_page(PHONE)
    sign_in(page, rep)
    for code in ("en", "fa"):
        if code == "fa":
            switch_language(page, "fa")
        for url in (contact.get_absolute_url(), account.get_absolute_url()):
            page.goto(url)
            assert page.evaluate(NO_PAGE_OVERFLOW), f"{url} ({code}) scrolls sideways"
