"""Send an SMS from the contact page in a real browser: the parts count follows the
typing, a refusal shows on the form, a sent message lists in the panel."""

import os

import pytest
from playwright.sync_api import expect

from amity.customers.services import consent_record
from amity.integrations.models import SmsMessage
from tests.browser.conftest import sign_in
from tests.conftest import make_contact, make_user

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_send_an_sms_from_the_contact_page(page, transactional_db):
    rep = make_user("somchai", "sales_rep")
    contact = make_contact(rep, "ใจดี", given_name="สมชาย", phone="+66812345678")
    sign_in(page, rep)
    page.goto(contact.get_absolute_url())
    panel = page.locator("#sms")

    box = panel.get_by_role("textbox", name="Message")
    box.fill("ส" * 71)
    expect(panel.locator("#sms-count")).to_contain_text("2 part(s), Unicode")
    box.fill("See you at 10")
    expect(panel.locator("#sms-count")).to_contain_text("1 part(s), GSM-7")
    panel.get_by_role("button", name="Send SMS").click()
    expect(panel).to_contain_text("no SMS consent in force")

    consent_record(contact=contact, user=rep, channel="sms", status="granted", method="verbal")
    panel.get_by_role("textbox", name="Message").fill("See you at 10")
    panel.get_by_role("button", name="Send SMS").click()
    expect(panel).to_contain_text("The message was queued for sending.")
    expect(panel.locator("tbody")).to_contain_text("See you at 10")
    expect(panel.get_by_role("textbox", name="Message")).to_have_value("")
    assert SmsMessage.objects.get().body == "See you at 10"
    if os.environ.get("AMITY_SHOTS_DIR"):
        page.screenshot(path=f"{os.environ['AMITY_SHOTS_DIR']}/sms-panel.png", full_page=True)
