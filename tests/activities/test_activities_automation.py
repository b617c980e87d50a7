"""Automatic follow-up: a rule creates a call (or any activity type) due some days and
hours after an event, or after nothing happened for N days (a sent quote not answered);
a logged activity publishes on the customer, so it counts as something happening."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from amity.activities.models import Task
from amity.activities.services import activity_create
from amity.automation.actions.registry import clean_actions
from amity.automation.schedule import rules_run_due
from amity.events.services import publish
from tests.activities.helpers import make_opportunity
from tests.automation.helpers import make_rule, run_queued
from tests.conftest import make_account

FOLLOW_UP = {"type": "create_task", "title": "ติดตามใบเสนอราคา", "activity_type": "call",
             "due_in_days": 3, "due_in_hours": 2, "remind_hours_before": 1}


def test_a_rule_on_a_quote_sent_event_creates_a_follow_up_call(org):
    make_rule(org.admin, kind="customers.account", event="quote.sent", actions=[FOLLOW_UP])
    account = make_account(org.owner)
    before = timezone.now()
    publish(subject=account, kind="quote.sent", actor=org.owner, payload={"quote": 7})
    run_queued()
    call = Task.objects.get()
    assert call.type == "call" and call.title == "ติดตามใบเสนอราคา"
    assert call.account == account and call.owner == org.owner  # the record's owner
    offset = dt.timedelta(days=3, hours=2)
    assert before + offset <= call.due_at <= timezone.now() + offset
    assert call.due_at - call.remind_at == dt.timedelta(hours=1)


def test_the_follow_up_is_about_the_customer_record_of_a_sales_record(org):
    make_rule(org.admin, kind="sales.opportunity", event="quote.sent",
              actions=[{**FOLLOW_UP, "activity_type": "meeting"}])
    opportunity = make_opportunity(org.owner, account=make_account(org.owner))
    publish(subject=opportunity, kind="quote.sent", actor=org.owner)
    run_queued()
    meeting = Task.objects.get()
    assert meeting.type == "meeting" and meeting.opportunity == opportunity


def test_a_logged_call_is_activity_for_the_nothing_happened_trigger(org):
    from amity.automation.schedule import quiet_records

    rule = make_rule(org.admin, trigger="inactivity", quiet_days=5, actions=[FOLLOW_UP])
    account = make_account(org.owner)
    activity_create(user=org.owner, data={"type": "call", "title": "Talked",
                                          "account": account, "done_at": timezone.now()})
    # The call's event is on the account's timeline: its quiet days count from it.
    quiet = quiet_records(rule, timezone.now() + dt.timedelta(days=6))
    assert quiet.get(pk=account.pk).last_activity == Task.objects.get().done_at


def test_a_quote_not_answered_in_n_days_gets_a_follow_up(org):
    make_rule(org.admin, trigger="inactivity", quiet_days=5, actions=[
        {"type": "create_task", "title": "Chase the quote", "activity_type": "call",
         "due_in_days": 1}])
    now = timezone.now()
    silent = make_account(org.owner, "Silent")
    answered = make_account(org.owner, "Answered")
    later = now + dt.timedelta(days=6)
    for account in (silent, answered):
        publish(subject=account, kind="quote.sent", occurred_at=now)
    publish(subject=answered, kind="quote.accepted", occurred_at=now + dt.timedelta(days=2))
    assert rules_run_due(later) == 1
    assert rules_run_due(later) == 0  # once
    chased = Task.objects.get(title="Chase the quote")
    assert chased.account == silent and chased.type == "call"


@pytest.mark.parametrize(("row", "field"), [
    ({**FOLLOW_UP, "activity_type": "fax"}, "activity_type"),
    ({**FOLLOW_UP, "due_in_hours": 10**9}, "due_in_hours"),
    ({"type": "create_task", "title": "x", "remind_hours_before": 2}, "remind_hours_before"),
])
def test_bad_follow_up_settings_are_refused(org, row, field):
    with pytest.raises(ValidationError) as refused:
        clean_actions("customers.account", [row])
    assert f"actions.0.{field}" in refused.value.message_dict
