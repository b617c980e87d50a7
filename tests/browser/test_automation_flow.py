"""In a real browser at phone width: an administrator builds a rule with rows added and
removed by HTMX, sees a row-named error, dry-runs it and saves it; the rule then makes
a task that shows on the account page, where the rep marks it done."""

import contextlib

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from amity.activities.models import Task
from amity.automation.models import Rule
from tests.automation.helpers import run_queued
from tests.browser.conftest import PHONE, sign_in
from tests.conftest import make_account, make_user

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def settle(page) -> None:
    """Wait until the editor's HTMX requests are answered and swapped in."""
    expect(page.locator(".htmx-request")).to_have_count(0)


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_an_admin_builds_a_rule_and_a_rep_does_its_task(new_page, transactional_db):
    admin = make_user("admin", "administrator", language="fa")
    rep = make_user("somchai", "sales_rep")
    make_account(rep, "Key Co", tier="key")

    page = new_page(PHONE)
    sign_in(page, admin)
    page.goto("/admin/automation/rules/new/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    editor = page.locator("#editor")
    editor.locator("#id_name").fill("حساب‌های کلیدی")
    editor.locator("#id_event_kind").fill("updated")
    editor.locator("button[value=add_condition]").click()
    settle(page)
    expect(editor.locator("#id_c0-field")).to_be_visible()
    editor.locator("#id_c0-field").select_option("tier")
    settle(page)
    expect(editor.locator("#id_c0-value")).to_have_js_property("tagName", "SELECT")
    editor.locator("#id_c0-op").select_option("equals")
    settle(page)
    editor.locator("#id_c0-value").select_option("key")
    editor.locator("button[value=add_condition]").click()
    settle(page)
    editor.locator("#id_c1-field").select_option("employees")
    settle(page)
    editor.locator("#id_c1-op").select_option("gt")
    settle(page)
    editor.locator("#id_c1-value").fill("ห้าสิบ")
    editor.locator("#id_a0-title").fill("โทรหาลูกค้า")
    editor.locator("button[name=op][value=save]").first.click()
    expect(page.locator("[data-field='c1-value']")).to_be_visible()  # named on its row
    no_sideways_scroll(page)
    page.locator("button[value='remove_condition:1']").click()
    settle(page)
    expect(page.locator("#id_c1-type")).to_have_count(0)
    page.locator("button[value=dry_run]").click()
    settle(page)
    expect(page.locator(".dry-run-result")).to_contain_text("Key Co")
    no_sideways_scroll(page)
    page.locator("#id_active").check()
    page.locator("button[name=op][value=save]").first.click()
    page.wait_for_url("/admin/automation/")
    no_sideways_scroll(page)
    rule = Rule.objects.get()
    assert rule.active and rule.conditions[0]["value"] == "key"

    account = make_account(rep, "Another")
    from amity.core.services import record_update

    record_update(record=account, user=rep, data={"tier": "key"})
    run_queued()
    task = Task.objects.get(account=account)

    page = new_page(PHONE)
    sign_in(page, rep)
    page.goto(account.get_absolute_url())
    panel = page.locator("#open-activities")
    expect(panel).to_contain_text("โทรหาลูกค้า")
    expect(page.locator("#timeline")).to_contain_text("حساب‌های کلیدی")
    panel.get_by_role("button", name="Mark done").click()
    expect(panel).not_to_contain_text("โทรหาลูกค้า")
    no_sideways_scroll(page)
    task.refresh_from_db()
    assert task.done_at is not None


def test_a_change_made_while_the_editor_refreshes_is_kept(new_page, transactional_db):
    """A second select changed before the first change's refresh is answered: both
    changes stay, however slow the server (here the first answer is held back)."""
    page = new_page(PHONE)
    sign_in(page, make_user("admin", "administrator"))
    page.goto("/admin/automation/rules/new/")
    editor = page.locator("#editor")
    editor.locator("#id_event_kind").fill("updated")
    for _ in range(2):
        editor.locator("button[value=add_condition]").click()
        settle(page)
    held = []
    page.route("**/admin/automation/rules/new/",
               lambda route: held.append(route) if not held else route.continue_())
    editor.locator("#id_c0-field").select_option("tier")
    page.wait_for_function("() => document.querySelector('.htmx-request') !== null")
    editor.locator("#id_c1-field").select_option("employees")
    with contextlib.suppress(PlaywrightError):  # the browser may have given it up
        held[0].continue_()
    settle(page)
    expect(editor.locator("#id_c0-field")).to_have_value("tier")
    expect(editor.locator("#id_c1-field")).to_have_value("employees")
    expect(editor.locator("#id_c0-value")).to_have_js_property("tagName", "SELECT")
