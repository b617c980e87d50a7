"""A lead worked in a real browser: checklist ticked and status moved in place (HTMX),
then converted onto the existing account it duplicates."""

import pytest
from playwright.sync_api import expect

from amity.sales.models import Lead, Opportunity
from tests.browser.conftest import sign_in
from tests.conftest import make_account, make_user
from tests.sales.lead_fixtures import checklist, make_lead, make_pipeline

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_qualify_and_convert_onto_an_existing_account(page, transactional_db):
    rep = make_user("somchai", "sales_rep")
    make_pipeline()
    checklist("Budget", "Need")
    account = make_account(rep, "Siam Steel")
    lead = make_lead(rep, "Jaidee", given_name="Malee", company="Siam Steel",
                     email="malee@siamsteel.example")
    sign_in(page, rep)
    page.goto(lead.get_absolute_url())
    panel = page.locator("#lead-qualification")

    panel.get_by_label("Move to").select_option("working")
    panel.get_by_role("button", name="Change status").click()
    expect(panel.locator(".lead-status")).to_have_text("Working")
    panel.get_by_label("Move to").select_option("qualified")
    panel.get_by_role("button", name="Change status").click()
    expect(panel.get_by_role("alert")).to_contain_text("Budget, Need")
    for label in ("Budget", "Need"):
        panel.get_by_role("button", name=label).click()
        expect(panel.get_by_role("button", name=label)).to_have_attribute("aria-pressed",
                                                                          "true")
    panel.get_by_label("Move to").select_option("qualified")
    panel.get_by_role("button", name="Change status").click()
    expect(panel.locator(".lead-status")).to_have_text("Qualified")
    expect(page.locator("#timeline")).to_contain_text("Lead status changed")

    panel.get_by_role("link", name="Convert").click()
    expect(page.locator("#likely-duplicates")).to_contain_text("Siam Steel")
    page.get_by_label("Attach to account").select_option(str(account.pk))
    page.get_by_role("button", name="Convert").click()
    expect(page.locator("h1")).to_contain_text("Malee Jaidee")
    lead.refresh_from_db()
    assert lead.status == "converted" and lead.converted_account == account
    assert Opportunity.objects.get().account == account
    assert Lead.objects.count() == 1
