"""In a real browser: the activities panel's buttons open the right form and saving swaps
the panel in place; the calendar moves between months without a page load."""

import pytest

from amity.activities.models import Task
from tests.browser.conftest import sign_in
from tests.conftest import make_account

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


def test_the_calendar_moves_between_months(page, org):
    org.owner.calendar = "persian"
    org.owner.save()
    sign_in(page, org.owner)
    page.goto("/activities/calendar/?month=1405-12")
    assert page.locator(".calendar-period").inner_text() == "Esfand 1405"
    page.get_by_role("link", name="Next month").click()
    page.locator(".calendar-period", has_text="Farvardin 1406").wait_for()
    assert page.url.endswith("?month=1406-01")  # pushed to the history
