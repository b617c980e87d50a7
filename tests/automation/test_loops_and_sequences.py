"""Loops: a rule never fires on an event its own actions caused, and a chain depth limit
stops longer chains. Sequences: steps with waits, advanced by scheduled tasks, stopped
when the record no longer matches or is deleted."""

import datetime as dt
import itertools

from django.utils import timezone

from amity.activities.models import Task
from amity.automation.models import Enrollment, RuleRun, Sequence
from amity.automation.sequences import sequence_advance
from amity.automation.services import sequence_save
from amity.core.services import record_delete, record_update
from amity.events.models import Event
from tests.automation.helpers import make_rule, queued, run_queued
from tests.conftest import make_account


def set_tier(value):
    return {"type": "set_field", "field": "tier", "value": value}


def test_a_rule_does_not_fire_on_its_own_change(org):
    # On every update, change the record again: without the chain this never ends.
    rule = make_rule(org.admin, event="updated", actions=[{"type": "set_field",
                                                           "field": "city", "value": "Loop"}])
    account = make_account(org.owner)
    record_update(record=account, user=org.owner, data={"tier": "key"})
    run_queued()
    assert RuleRun.objects.filter(rule=rule).count() == 1
    caused = Event.objects.for_subject(account).filter(kind="updated").order_by("id").last()
    assert caused.payload["automation"]["chain"] == [rule.pk]
    assert queued() == []


def test_ping_pong_between_two_rules_stops(org):
    a = make_rule(org.admin, name="A", event="updated", conditions=[
        {"type": "changed_to", "field": "tier", "value": "key"}], actions=[set_tier("standard")])
    b = make_rule(org.admin, name="B", event="updated", conditions=[
        {"type": "changed_to", "field": "tier", "value": "standard"}], actions=[set_tier("key")])
    account = make_account(org.owner)
    record_update(record=account, user=org.owner, data={"tier": "key"})
    run_queued()
    # A sets standard, B sets key again, and A does not answer its own chain.
    assert RuleRun.objects.filter(rule=a).count() == 1
    assert RuleRun.objects.filter(rule=b).count() == 1
    account.refresh_from_db()
    assert account.tier == "key"


def test_the_chain_depth_limit_stops_a_long_chain(org, settings):
    settings.AMITY_AUTOMATION_MAX_CHAIN = 2
    steps = ["a", "b", "c", "d"]
    for this, after in itertools.pairwise(steps):
        make_rule(org.admin, name=this, event="updated",
                  conditions=[{"type": "changed_to", "field": "city", "value": this}],
                  actions=[{"type": "set_field", "field": "city", "value": after}])
    account = make_account(org.owner)
    record_update(record=account, user=org.owner, data={"city": "a"})
    run_queued()
    account.refresh_from_db()
    # a → b (chain [a]) → c (chain [a, b]): the event of depth 2 starts no rule.
    assert account.city == "c"
    assert sorted(RuleRun.objects.values_list("rule__name", flat=True)) == ["a", "b"]


def make_sequence(org, steps, kind="customers.account"):
    return sequence_save(actor=org.admin, sequence=Sequence(),
                         data={"name": "Onboarding", "record_kind": kind, "steps": steps})


def onboarding(org, conditions=()):
    sequence = make_sequence(org, [
        {"type": "create_task", "title": "Day 0"},
        {"type": "wait", "amount": 2, "unit": "days"},
        {"type": "create_task", "title": "Day 2"},
        {"type": "add_tag", "tag": "onboarded"},
        {"type": "wait", "amount": 120, "unit": "hours"},
        {"type": "create_task", "title": "Later"},
    ])
    make_rule(org.admin, event="created", conditions=conditions,
              actions=[{"type": "start_sequence", "sequence": sequence.pk}])
    return sequence


def titles(account):
    return sorted(Task.objects.filter(account=account).values_list("title", flat=True))


def test_a_sequence_runs_its_steps_after_each_wait(org):
    onboarding(org)
    account = make_account(org.owner)
    run_queued()
    assert titles(account) == ["Day 0"]
    enrollment = Enrollment.objects.get()
    assert enrollment.status == "active" and enrollment.position == 2
    waiting = queued()
    assert len(waiting) == 1 and waiting[0].run_after > timezone.now() + dt.timedelta(days=1)
    run_queued(until=timezone.now() + dt.timedelta(days=2, minutes=1))
    assert titles(account) == ["Day 0", "Day 2"]
    assert [t.name for t in account.tags.all()] == ["onboarded"]
    run_queued(until=timezone.now() + dt.timedelta(days=8))
    assert titles(account) == ["Day 0", "Day 2", "Later"]
    enrollment.refresh_from_db()
    assert enrollment.status == "finished"
    # Each step's run is in the rule's log, on the record's timeline.
    assert RuleRun.objects.filter(enrollment=enrollment).count() == 3


def test_a_repeated_or_stale_step_does_nothing(org):
    onboarding(org)
    account = make_account(org.owner)
    run_queued()
    enrollment = Enrollment.objects.get()
    assert sequence_advance(enrollment.pk, 0) == "active"  # step 0 already done
    assert titles(account) == ["Day 0"]


def test_a_sequence_stops_when_the_record_no_longer_matches(org):
    onboarding(org, conditions=[{"type": "field", "field": "tier", "op": "equals",
                                 "value": "key"}])
    account = make_account(org.owner, tier="key")
    run_queued()
    record_update(record=account, user=org.owner, data={"tier": "low"})
    run_queued(until=timezone.now() + dt.timedelta(days=3))
    enrollment = Enrollment.objects.get()
    assert enrollment.status == "stopped" and "no longer matches" in enrollment.reason
    assert titles(account) == ["Day 0"]


def test_a_sequence_stops_when_the_record_is_deleted(org):
    onboarding(org)
    account = make_account(org.owner)
    run_queued()
    record_delete(record=account, user=org.admin)
    run_queued(until=timezone.now() + dt.timedelta(days=3))
    assert Enrollment.objects.get().status == "stopped"


def test_a_record_is_in_a_sequence_once_at_a_time(org):
    sequence = make_sequence(org, [{"type": "wait", "amount": 1, "unit": "days"},
                                   {"type": "create_task", "title": "Once"}])
    make_rule(org.admin, event="updated",
              actions=[{"type": "start_sequence", "sequence": sequence.pk}])
    account = make_account(org.owner)
    record_update(record=account, user=org.owner, data={"city": "One"})
    record_update(record=account, user=org.owner, data={"city": "Two"})
    run_queued()
    assert Enrollment.objects.count() == 1
    results = [r.results[0]["result"] for r in RuleRun.objects.order_by("id")]
    assert results == ["Started the sequence Onboarding", "Already in the sequence Onboarding"]
