"""The flows that need a real browser: signing in and out, right-to-left layout,
inline HTMX editing (and its conflicts), the layout at phone width, and an import whose
progress updates itself."""

import re

import pytest
from playwright.sync_api import Page, expect

from amity.core.services import record_update
from amity.customers.models import Account
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.conftest import make_account, make_user

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

THAI_NAME = "บริษัท ทดสอบ จำกัด"
NO_PAGE_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth + 1"


def switch_language(page: Page, code: str) -> None:
    page.locator("select[name=language]").select_option(code)
    with page.expect_navigation():
        page.locator("form.language button[type=submit]").click()


def test_sign_in_and_out(page, transactional_db):
    user = make_user("somchai", "sales_rep")

    sign_in(page, user)

    expect(page.get_by_role("heading", level=1)).to_contain_text("somchai")
    expect(page.locator("header .account-menu")).to_contain_text("somchai")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("/auth/login/")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto("/")  # signed out for real: home asks for sign-in again
    expect(page).to_have_url(re.compile(r"/auth/login/\?next=/$"))


def test_persian_mirrors_the_layout(page, transactional_db):
    user = make_user("parisa", "sales_rep")
    sign_in(page, user)
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "ltr")
    brand, search = page.locator("header .brand"), page.locator("header .search input")
    assert brand.bounding_box()["x"] < search.bounding_box()["x"]

    switch_language(page, "fa")

    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "fa")
    assert brand.bounding_box()["x"] > search.bounding_box()["x"], "brand should be at the right"
    expect(page.locator("select[name=language]")).to_have_value("fa")
    page.goto("/accounts/")  # the choice sticks to the user, page after page
    expect(html).to_have_attribute("dir", "rtl")

    switch_language(page, "en")

    expect(html).to_have_attribute("dir", "ltr")
    expect(html).to_have_attribute("lang", "en")
    assert brand.bounding_box()["x"] < search.bounding_box()["x"]


def test_create_edit_and_delete_an_account(page, transactional_db):
    manager = make_user("malee", "sales_manager")
    sign_in(page, manager)

    page.goto("/accounts/")
    page.get_by_role("link", name="New").click()
    page.get_by_role("textbox", name="Name", exact=True).fill(THAI_NAME)
    page.get_by_role("button", name="Save").click()

    page.wait_for_url(re.compile(r"/accounts/\d+/$"))
    account = Account.objects.get(name=THAI_NAME)
    assert page.url.endswith(account.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(THAI_NAME)
    facts, history = page.locator("#facts"), page.locator("#history")

    # Inline edit: the form replaces the Details panel, the page stays where it is.
    page.evaluate("window.__marker = 1")
    facts.get_by_role("button", name="Edit").click()
    city = facts.get_by_label("City")
    expect(city).to_be_visible()
    city.fill("เชียงใหม่")
    facts.get_by_role("button", name="Save").click()

    expect(facts.locator("form")).to_have_count(0)
    expect(facts.locator("dl.facts")).to_contain_text("เชียงใหม่")
    expect(history.locator("tr", has_text="เชียงใหม่")).to_contain_text("City")
    expect(page.locator("#timeline")).to_contain_text("malee")
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    account.refresh_from_db()
    assert account.city == "เชียงใหม่"

    page.get_by_role("link", name="Delete").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(THAI_NAME)
    page.get_by_role("button", name="Delete").click()

    page.wait_for_url("/accounts/")
    expect(page.locator(".messages")).to_contain_text(THAI_NAME)
    expect(page.locator("#record-list")).not_to_contain_text(THAI_NAME)
    expect(page.locator("#record-list")).to_contain_text("Nothing matches.")
    assert not Account.objects.filter(pk=account.pk).exists()


def test_inline_edit_conflict_keeps_what_the_user_typed(page, transactional_db):
    manager = make_user("malee", "sales_manager")
    rival = make_user("arash", "sales_manager")
    account = make_account(manager, city="Bangkok")
    sign_in(page, manager)
    page.goto(account.get_absolute_url())
    facts = page.locator("#facts")
    facts.get_by_role("button", name="Edit").click()
    facts.get_by_label("City").fill("Khon Kaen")

    record_update(record=Account.objects.get(pk=account.pk), user=rival,
                  data={"city": "Hat Yai"})
    facts.get_by_role("button", name="Save").click()

    expect(facts.get_by_role("alert")).to_contain_text("Someone else changed this record")
    expect(facts.get_by_label("City")).to_have_value("Khon Kaen")
    account.refresh_from_db()
    assert account.city == "Hat Yai"


def test_phone_width_has_no_sideways_scrolling(new_page, transactional_db):
    manager = make_user("malee", "sales_manager")
    long_name = "Northern Agricultural Cooperative Export and Import Company Limited"
    account = make_account(manager, long_name, city="Chiang Mai", website="https://example.com")
    make_account(manager, THAI_NAME, industry="Wholesale of agricultural raw materials")
    page = new_page(PHONE)
    sign_in(page, manager)

    for code in ("en", "fa"):
        if code == "fa":
            switch_language(page, "fa")
        for url in ("/", "/accounts/", account.get_absolute_url()):
            page.goto(url)
            assert page.evaluate(NO_PAGE_OVERFLOW), f"{url} ({code}) scrolls sideways"
    # A wide table scrolls inside its own box rather than widening the page.
    page.goto("/accounts/")
    assert page.locator(".table-wrap").evaluate("el => el.clientWidth <= window.innerWidth")


def test_screenshots(new_page, shots_dir, transactional_db):
    """Screenshots for a person to look at (skipped unless AMITY_SHOTS_DIR is set)."""
    manager = make_user("malee", "sales_manager")
    account = make_account(manager, THAI_NAME, city="Bangkok", industry="Food",
                           website="https://example.co.th", country="TH")
    for index in range(5):
        make_account(manager, f"Account {index} with a fairly long name Co., Ltd.")
    record_update(record=account, user=manager, data={"city": "เชียงใหม่"})
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = new_page(viewport)
        sign_in(page, manager)
        for code in ("en", "fa"):
            switch_language(page, code)  # the choice is kept on the user, so set it each time
            for name, url in (("home", "/"), ("accounts", "/accounts/"),
                              ("account", account.get_absolute_url())):
                page.goto(url)
                page.screenshot(path=shots_dir / f"{name}-{code}-{size}.png", full_page=True)


def test_import_contacts_and_watch_the_progress(page, transactional_db, tmp_path):
    from amity.customers.import_jobs import ImportJob
    from amity.customers.imports.runner import import_run
    from amity.customers.models import Contact

    sign_in(page, make_user("malee", "sales_manager"))
    people = tmp_path / "google-contacts.csv"
    people.write_text("First Name,Last Name,E-mail 1 - Value\n"
                      "สุดา,แก้วมณี,suda@example.com\n明,王,wang@example.com\n"
                      "Bad,Row,not-an-email\n", encoding="utf-8")
    page.goto("/imports/")
    page.get_by_label("File").set_input_files(str(people))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    expect(page.locator("body")).to_contain_text("not-an-email")  # the preview
    page.get_by_role("button", name="Start import").click()

    progress = page.locator("#import-progress")
    expect(progress.locator("[data-status]")).to_have_attribute("data-status", "queued")
    page.evaluate("window.__marker = 1")
    import_run(ImportJob.objects.get().pk)  # the worker's part, done here
    # The page polls: the panel turns to done without a reload.
    expect(progress.locator("[data-status]")).to_have_attribute("data-status", "done",
                                                                timeout=10_000)
    expect(progress).to_contain_text("Download the rows with errors")
    assert page.evaluate("window.__marker") == 1
    assert set(Contact.objects.values_list("email", flat=True)) == {"suda@example.com",
                                                                     "wang@example.com"}
