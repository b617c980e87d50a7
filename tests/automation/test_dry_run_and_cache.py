"""Dry runs (count capped, only visible records, time-based triggers, nothing changed) and
the cached lookup that keeps events no rule watches free of queries."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amity.automation import dry_run
from amity.automation.dry_run import rule_dry_run
from amity.automation.models import RuleRun
from amity.automation.services import rule_set_active
from amity.automation.subscriptions import on_event
from amity.events.models import Event
from tests.automation.helpers import make_rule, queued
from tests.conftest import make_account, make_contact

TAG = [{"type": "add_tag", "tag": "x"}]


def test_the_count_is_capped_and_the_first_page_shown(org, monkeypatch):
    monkeypatch.setattr(dry_run, "COUNT_CAP", 3)
    monkeypatch.setattr(dry_run, "PAGE", 2)
    for i in range(5):
        make_account(org.owner, f"A{i}")
    result = rule_dry_run(make_rule(org.admin, actions=TAG), org.admin)
    assert (result.count, result.capped, len(result.records)) == (3, True, 2)


def test_only_records_the_user_may_see(org):
    make_account(org.owner, "East")
    make_account(org.outsider, "West")
    rule = make_rule(org.admin, actions=TAG)
    assert {str(r) for r in rule_dry_run(rule, org.admin).records} == {"East", "West"}
    assert {str(r) for r in rule_dry_run(rule, org.teammate).records} == {"East"}
    west = rule_dry_run(rule, org.teammate, sample_id=make_account(org.outsider, "W2").pk)
    assert west.sample is None


def test_a_date_rule_dry_run_shows_the_records_due_today(org):
    today = timezone.now().date()
    rule = make_rule(org.admin, kind="customers.contact", trigger="date",
                     date_field="birth_date", offset_days=-3, actions=TAG)
    make_contact(org.owner, "Due", birth_date=today + dt.timedelta(days=3))
    make_contact(org.owner, "Not due", birth_date=today + dt.timedelta(days=4))
    result = rule_dry_run(rule, org.admin)
    assert [str(r) for r in result.records] == ["Due"]
    assert "Records due today." in result.notes


def test_an_inactivity_rule_dry_run(org):
    rule = make_rule(org.admin, trigger="inactivity", quiet_days=1, actions=TAG)
    make_account(org.owner, "Fresh")
    assert rule_dry_run(rule, org.admin).count == 0
    later = timezone.now() + dt.timedelta(days=2)
    assert dry_run.matching_records(rule, org.admin, later).count() == 1


def test_an_event_condition_is_explained_not_counted(org):
    rule = make_rule(org.admin, conditions=[{"type": "changed", "field": "tier"}], actions=TAG)
    make_account(org.owner)
    result = rule_dry_run(rule, org.admin)
    assert result.count == 1 and "checked when the event happens" in result.notes[0]
    assert not RuleRun.objects.exists()


def test_an_event_no_rule_watches_costs_no_query(org):
    account = make_account(org.owner)
    event = Event.objects.for_subject(account).first()
    on_event(event)  # warms the cache
    with CaptureQueriesContext(connection) as queries:
        on_event(event)
    assert len(queries) == 0


def test_a_rule_switched_on_or_off_is_seen_at_once(org):
    rule = make_rule(org.admin, event="created", actions=TAG, active=False)
    make_account(org.owner, "Before")
    assert queued() == []
    rule_set_active(actor=org.admin, rule=rule, active=True)
    make_account(org.owner, "After")
    assert len(queued()) == 1
    rule_set_active(actor=org.admin, rule=rule, active=False)
    make_account(org.owner, "Off again")
    assert len(queued()) == 1
