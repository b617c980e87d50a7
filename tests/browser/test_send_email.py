"""Sending email from a contact's page in a real browser: choose a template, the preview
appears in the contact's language, send; an error keeps the chosen template."""

import pytest
from playwright.sync_api import expect

from amity.integrations.email_templates import template_save
from amity.integrations.models import OutboundEmail
from tests.browser.conftest import sign_in
from tests.conftest import make_contact, make_user
from tests.integrations.conftest import WELCOME, emailable

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_choose_preview_and_send(page, transactional_db):
    admin = make_user("boss", "administrator")
    rep = make_user("maryam", "sales_rep")
    template_save(actor=admin, template=None, name="Welcome", default_language="en",
                  versions=WELCOME)
    contact = emailable(rep, given_name="مریم", family_name="احمدی", language="fa")
    no_consent = make_contact(rep, "Boonmee", email="n@example.com")
    sign_in(page, rep)

    page.goto(contact.get_absolute_url())
    panel = page.locator("#contact-email")
    panel.get_by_label("Template").select_option(label="Welcome")
    expect(panel.locator("#contact-email-preview")).to_contain_text("خوش آمدید مریم")
    panel.get_by_role("button", name="Send").click()
    expect(panel).to_contain_text("is queued for sending")
    expect(panel).to_contain_text("Queued")
    assert OutboundEmail.objects.get().contact_id == contact.pk

    page.goto(no_consent.get_absolute_url())
    panel = page.locator("#contact-email")
    panel.get_by_label("Template").select_option(label="Welcome")
    panel.get_by_role("button", name="Send").click()
    expect(panel.locator(".form-errors")).to_contain_text("not agreed to receive email")
    expect(panel.get_by_label("Template")).to_have_value(str(OutboundEmail.objects.get()
                                                             .template_id))
