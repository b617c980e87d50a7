"""In a real browser: the activities panel's buttons open the right form and saving swaps
the panel in place; the calendar moves between months without a page load."""

from urllib.parse import parse_qs, urlsplit

import pytest

from amity.activities.models import Task
from tests.browser.conftest import sign_in
from tests.conftest import make_account, make_contact

pytestmark = pytest.mark.django_db(transaction=True)


def test_log_a_call_from_the_account_page(page, org):
    account = make_account(org.owner)
    sign_in(page, org.owner)
    page.goto(account.get_absolute_url())
    panel = page.locator("#open-activities")
    panel.get_by_role("button", name="Log a call").click()
    panel.get_by_label("Subject").fill("โทรติดตาม 📞")
    panel.get_by_label("Duration (minutes)").fill("20")
    panel.get_by_label("Outcome").fill("Wants a demo")
    panel.get_by_role("button", name="Save").click()
    page.locator(".recent-activities").get_by_text("โทรติดตาม 📞").wait_for()
    call = Task.objects.get()
    assert call.type == "call" and call.done_at is not None and call.account == account


def test_schedule_a_meeting_picking_people_as_one_types(page, org):
    """The pickers work in the panel HTMX swaps in, twice (a second form defines nothing
    again), and in a right-to-left page."""
    org.owner.language = "fa"
    org.owner.save()
    org.teammate.first_name = "مریم"
    org.teammate.save()
    account = make_account(org.owner)
    make_contact(org.owner, "Srisuk", given_name="Anong", account=account)
    guest = make_contact(org.owner, "王", given_name="小明")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, org.owner)
    page.goto(account.get_absolute_url())
    panel = page.locator("#open-activities")
    for _ in range(2):  # open, cancel, open again
        panel.locator("button[hx-get$='type=meeting']").click()
        panel.locator("form.activity-form").wait_for()
        if _ == 0:
            panel.locator("form.activity-form button[type=button]").click()
            panel.locator("form.activity-form").wait_for(state="detached")
    panel.locator("#id_title").fill("جلسه")
    panel.locator("#id_due_at").fill("2026-12-24T09:00")
    colleagues = panel.locator("input[name=participants-input]")
    colleagues.fill("مری")
    page.locator(".autocomplete-light-box [data-value]").get_by_text("مریم").click()
    contacts = panel.locator("input[name=participant_contacts-input]")
    contacts.focus()  # nothing typed: the account's people are offered
    page.locator(".autocomplete-light-box [data-value]").get_by_text("Anong Srisuk").wait_for()
    with page.expect_request(lambda r: "/activities/people/contacts/" in r.url
                             and "%23" in r.url) as typed:
        contacts.fill("王 & #1+")  # sent as typed, not cut at "&" or "#"
    assert parse_qs(urlsplit(typed.value.url).query)["q"] == ["王 & #1+"]
    contacts.fill("王小")
    page.locator(".autocomplete-light-box [data-value]").get_by_text("王小明").click()
    panel.locator("form.activity-form button[type=submit]").click()
    panel.locator("form.activity-form").wait_for(state="detached")
    meeting = Task.objects.get()
    assert list(meeting.participants.all()) == [org.teammate]
    assert list(meeting.participant_contacts.all()) == [guest]
    assert errors == []


def test_the_calendar_moves_between_months(page, org):
    org.owner.calendar = "persian"
    org.owner.save()
    sign_in(page, org.owner)
    page.goto("/activities/calendar/?month=1405-12")
    assert page.locator(".calendar-period").inner_text() == "Esfand 1405"
    page.get_by_role("link", name="Next month").click()
    page.locator(".calendar-period", has_text="Farvardin 1406").wait_for()
    assert page.url.endswith("?month=1406-01")  # pushed to the history
