"""No duplicated effort: opening the log/schedule form for a customer another rep contacted
in the last N days shows who, when and how, but only from activities the user may see."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from amity.activities.selectors import recent_contact
from amity.activities.services import activity_create
from amity.core.services import record_assign
from tests.activities.helpers import HTMX, make_opportunity
from tests.conftest import api_client, make_account, make_contact, signed_in


def log(user, days_ago: float, **data):
    when = timezone.now() - dt.timedelta(days=days_ago)
    return activity_create(user=user, data={"type": "call", "title": "Call", "due_at": when,
                                            "done_at": when, **data})


def open_form(user, segment, record, type_="call"):
    return signed_in(user).get(reverse("activity_about_form", args=[segment, record.pk]),
                               {"type": type_}, **HTMX).content.decode()


def test_a_teammates_recent_call_is_shown_when_opening_the_form(org):
    org.teammate.first_name, org.teammate.last_name = "สมศรี", "ใจดี"
    org.teammate.save()
    account = make_account(org.owner)
    log(org.teammate, 3, account=account)
    html = open_form(org.owner, "accounts", account)
    assert "Contacted by สมศรี ใจดี on" in html and "(Call)" in html


def test_contacts_and_opportunities_of_the_account_count(org):
    account = make_account(org.owner)
    contact = make_contact(org.owner, account=account)
    opportunity = make_opportunity(org.owner, account=account)
    log(org.teammate, 1, contact=contact, type="meeting", title="Lunch")
    assert recent_contact(record=account, user=org.owner).title == "Lunch"
    other = make_account(org.owner, "Other")
    log(org.teammate, 0.5, opportunity=make_opportunity(org.owner, account=other),
        type="email", title="Proposal")
    assert recent_contact(record=other, user=org.owner).title == "Proposal"
    # An opportunity's hint counts activities about its account too.
    log(org.teammate, 2, account=account, title="Account call")
    assert recent_contact(record=opportunity, user=org.owner).title == "Account call"


def test_my_own_old_and_open_activities_do_not_count(org):
    account = make_account(org.owner)
    log(org.owner, 1, account=account)  # mine: I know about it
    log(org.teammate, 20, account=account)  # older than 14 days
    activity_create(user=org.teammate, data={"type": "meeting", "title": "Planned",
                                             "account": account,
                                             "due_at": timezone.now() + dt.timedelta(days=1)})
    html = open_form(org.owner, "accounts", account)
    assert "Contacted by" not in html


def test_the_number_of_days_is_a_setting(org, settings):
    account = make_account(org.owner)
    log(org.teammate, 20, account=account)
    settings.AMITY_RECENT_CONTACT_DAYS = 30
    assert recent_contact(record=account, user=org.owner) is not None
    settings.AMITY_RECENT_CONTACT_DAYS = 7
    assert recent_contact(record=account, user=org.owner) is None


def test_an_activity_the_user_may_not_see_is_not_revealed(org):
    # The West rep called the account, then it was handed to the owner in East: the owner
    # sees the account but not the West rep's call.
    shared = make_account(org.outsider, "Handed over")
    log(org.outsider, 1, account=shared)
    record_assign(record=shared, user=org.admin, owner=org.owner, team=org.east)
    assert recent_contact(record=shared, user=org.owner) is None
    # The manager sees every team's activities, so they are told.
    found = recent_contact(record=shared, user=org.manager)
    assert found is not None and found.owner == org.outsider
    api = api_client(org.manager)
    answer = api.get(f"/api/v1/activities/recent-contact/accounts/{shared.pk}").json()
    assert answer["by_id"] == org.outsider.pk and answer["type"] == "call"


def test_the_hint_endpoint_keeps_the_gate(org):
    hidden = make_account(org.outsider)
    api = api_client(org.owner)
    assert api.get(f"/api/v1/activities/recent-contact/accounts/{hidden.pk}"
                   ).status_code == 404
    assert api.get("/api/v1/activities/recent-contact/quotes/1").status_code == 404
    mine = make_account(org.owner)
    assert api.get(f"/api/v1/activities/recent-contact/accounts/{mine.pk}"
                   ).json()["activity"] is None
