"""The notification bell in a real browser: the count changes without a reload when
someone else assigns a record, and the panel works at phone width in Persian."""

import re

import pytest
from playwright.sync_api import expect

from amity.collaboration.services import notify
from amity.core.services import record_assign
from tests.browser.conftest import PHONE, sign_in
from tests.conftest import make_account, make_user

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
NO_PAGE_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture(autouse=True)
def quick_polling(settings):
    settings.NOTIFICATION_POLL_SECONDS = 1  # the product asks every 30 s


def test_the_count_updates_without_reload_after_someone_assigns_a_record(page,
                                                                          transactional_db):
    rep = make_user("somchai", "sales_rep")
    manager = make_user("malee", "sales_manager")
    account = make_account(manager, "Siam Fresh Foods")
    sign_in(page, rep)
    bell = page.locator("#bell")
    expect(bell.locator("#bell-count")).to_contain_text("Notifications: none unread")
    expect(bell.locator(".bell-badge")).to_have_count(0)
    page.evaluate("window.__marker = 1")

    record_assign(record=account, user=manager, owner=rep)  # another user, elsewhere

    expect(bell.locator(".bell-badge")).to_have_text("1")
    expect(bell.locator("#bell-count")).to_contain_text("Notifications: 1 unread")
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"

    bell.locator("summary").click()
    panel = page.locator("#bell-panel")
    expect(panel).to_contain_text("malee assigned Siam Fresh Foods to you")
    panel.get_by_role("button", name="Mark read").click()
    expect(bell.locator(".bell-badge")).to_have_count(0)
    expect(panel.get_by_role("button", name="Mark read")).to_have_count(0)

    panel.get_by_role("link", name="malee assigned Siam Fresh Foods to you").click()
    page.wait_for_url(re.compile(rf"{account.get_absolute_url()}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Siam Fresh Foods")


def test_mark_all_read_from_the_panel(page, transactional_db):
    rep = make_user("wei", "sales_rep")
    for title in ("新客户：上海贸易", "🎉 <script>alert(1)</script>"):
        notify(recipients=[rep], kind="automation", title=title)
    sign_in(page, rep)
    expect(page.locator(".bell-badge")).to_have_text("2")
    page.locator("#bell summary").click()
    panel = page.locator("#bell-panel")
    expect(panel).to_contain_text("🎉 <script>alert(1)</script>")  # shown as text
    panel.get_by_role("button", name="Mark all read").click()
    expect(page.locator(".bell-badge")).to_have_count(0)
    expect(panel.locator(".notification.unread")).to_have_count(0)


def test_the_panel_fits_a_phone_in_persian(new_page, transactional_db):
    rep = make_user("parisa", "sales_rep", language="fa")
    for i in range(12):
        notify(recipients=[rep], kind="automation",
               title=f"مشتری جدید شماره {i} " + "بسیار طولانی " * 20)
    page = new_page(PHONE)
    sign_in(page, rep)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(".bell-badge")).to_have_text("۱۲")

    page.locator("#bell summary").click()
    panel = page.locator("#bell-panel")
    expect(panel.locator(".notification")).to_have_count(8)
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
    assert page.evaluate(NO_PAGE_OVERFLOW), "the page scrolls sideways"
    panel.get_by_role("link", name="همهٔ اعلان‌ها").click()
    page.wait_for_url("/notifications/")
    expect(page.locator("#notification-list .notification")).to_have_count(12)
    assert page.evaluate(NO_PAGE_OVERFLOW), "the notifications page scrolls sideways"



def test_screenshots_of_the_bell(new_page, transactional_db, shots_dir):
    rep = make_user("parisa", "sales_rep", language="fa")
    for title in ("مشتری جدید: شرکت آریا", "ลูกค้าใหม่ 🎉", "新客户：上海贸易有限公司"):
        notify(recipients=[rep], kind="automation", title=title)
    for name, viewport in (("desktop", None), ("phone", PHONE)):
        page = new_page(viewport) if viewport else new_page()
        sign_in(page, rep)
        expect(page.locator(".bell-badge")).to_have_text("۳")
        page.locator("#bell summary").click()
        expect(page.locator("#bell-panel .notification")).to_have_count(3)
        page.screenshot(path=shots_dir / f"notifications-bell-fa-{name}.png")
