"""In a real browser: an administrator adds a custom field, a rep fills it in the inline
edit of a contact, sees it on the page and in the history, and filters the list by it."""

import re

import pytest
from playwright.sync_api import expect

from amity.customers.models import Contact
from tests.browser.conftest import sign_in
from tests.conftest import make_contact, make_user

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_admin_defines_a_field_and_a_rep_fills_and_filters_by_it(new_page, transactional_db):
    admin, rep = make_user("admin", "administrator"), make_user("somchai", "sales_rep")
    contact = make_contact(rep, "ใจดี")
    make_contact(rep, "Other")

    page = new_page()
    sign_in(page, admin)
    page.goto("/admin/custom-fields/")
    page.get_by_role("link", name="New custom field").first.click()
    page.get_by_label("Kind of record").select_option("customers.contact")
    page.get_by_label("Label").fill("ระดับ")
    page.get_by_label("Key").fill("level")
    page.get_by_label("Type").select_option("choice")
    page.get_by_label("Choices").fill("gold | ทอง\nsilver | เงิน")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("/admin/custom-fields/")
    expect(page.locator("main")).to_contain_text("ระดับ")

    page = new_page()
    sign_in(page, rep)
    page.goto(contact.get_absolute_url())
    facts = page.locator("#facts")
    facts.get_by_role("button", name="Edit").click()
    facts.get_by_label("ระดับ").select_option("gold")
    facts.get_by_role("button", name="Save").click()
    expect(facts.locator("form")).to_have_count(0)
    expect(facts.locator("dl.facts")).to_contain_text("ทอง")
    expect(page.locator("#history tr", has_text="ทอง")).to_contain_text("ระดับ")
    assert Contact.objects.get(pk=contact.pk).custom == {"level": "gold"}

    page.goto("/contacts/")
    page.locator("form.filters").get_by_label("ระดับ").select_option("gold")
    expect(page).to_have_url(re.compile(r"custom\.level=gold"))
    expect(page.locator("#record-list")).to_contain_text("ใจดี")
    expect(page.locator("#record-list")).not_to_contain_text("Other")
