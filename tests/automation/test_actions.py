"""Each implemented action, the order of actions, a failing action or rule, and the four
actions the channel apps connect later."""

import datetime as dt

import pytest
from django.utils import timezone

from amity.activities.models import Task
from amity.automation.actions import ActionContext, wire_action
from amity.automation.actions.registry import _ACTIONS, register_action
from amity.automation.models import RuleRun
from amity.core.services import record_update
from amity.events.models import Event
from tests.automation.helpers import make_rule, run_queued
from tests.conftest import make_account, make_contact, make_user


def created_rule(org, actions, **extra):
    return make_rule(org.admin, event="created", actions=actions, **extra)


def test_create_task_with_due_date_and_reminder(org):
    created_rule(org, [{"type": "create_task", "title": "โทรหาลูกค้า 📞", "due_in_days": 2,
                        "remind_hours_before": 3, "notes": "ask about the order"}],
                 kind="customers.contact")
    before = timezone.now()
    contact = make_contact(org.owner)
    run_queued()
    task = Task.objects.get(contact=contact)
    assert task.title == "โทรหาลูกค้า 📞" and task.owner == org.owner
    assert before + dt.timedelta(days=2) <= task.due_at <= timezone.now() + dt.timedelta(days=2)
    assert task.due_at - task.remind_at == dt.timedelta(hours=3)
    assert task.notes == "ask about the order"


def test_assign_to_a_user(org):
    created_rule(org, [{"type": "assign", "mode": "user", "user": org.teammate.pk}])
    account = make_account(org.owner)
    run_queued()
    account.refresh_from_db()
    assert account.owner == org.teammate and account.team == org.east
    assert Event.objects.for_subject(account).filter(kind="assigned").exists()  # history


def test_round_robin_within_a_team(org):
    third = make_user("third", "sales_rep", org.east)
    created_rule(org, [{"type": "assign", "mode": "round_robin", "team": org.east.pk}])
    accounts = [make_account(org.admin, f"A{i}") for i in range(4)]
    run_queued()
    owners = [type(a).objects.get(pk=a.pk).owner for a in accounts]
    assert owners == [org.owner, org.teammate, third, org.owner]


def test_set_a_field_a_tier_and_a_custom_field(org):
    from tests.conftest import define_custom_field

    define_custom_field(org.admin, "score", "number", kind="customers.account")
    created_rule(org, [{"type": "set_field", "field": "tier", "value": "strategic"},
                       {"type": "set_field", "field": "custom.score", "value": "٩٩"},
                       {"type": "set_field", "field": "annual_revenue", "value": "5000 THB"}])
    account = make_account(org.owner)
    run_queued()
    account.refresh_from_db()
    assert account.tier == "strategic" and account.custom == {"score": "99"}
    assert (account.annual_revenue, account.revenue_currency) == (5000, "THB")
    changes = Event.objects.for_subject(account).filter(kind="updated").first().payload["changes"]
    assert changes["tier"]["new"] == "Strategic"


def test_add_a_tag_keeps_the_others(org):
    created_rule(org, [{"type": "add_tag", "tag": "ลูกค้าใหม่"}])
    account = make_account(org.owner, tags=["VIP"])
    run_queued()
    assert sorted(t.name for t in account.tags.all()) == ["VIP", "ลูกค้าใหม่"]


def test_actions_run_in_order(org):
    # The second action sees what the first did: the task goes to the new owner.
    created_rule(org, [{"type": "assign", "mode": "user", "user": org.teammate.pk},
                       {"type": "create_task", "title": "Welcome"}])
    account = make_account(org.owner)
    run_queued()
    assert Task.objects.get(account=account).owner == org.teammate
    results = RuleRun.objects.get().results
    assert [r["type"] for r in results] == ["assign", "create_task"]


def test_a_failing_action_rolls_back_its_rule_and_spares_the_others(org):
    created_rule(org, [{"type": "add_tag", "tag": "first"},
                       {"type": "set_field", "field": "employees", "value": "99999999"},
                       {"type": "create_task", "title": "never"}], name="Broken")
    created_rule(org, [{"type": "create_task", "title": "Still here"}], name="Fine")
    account = make_account(org.owner)
    assert account.name  # the change that published the event stood
    run_queued()
    assert [t.name for t in account.tags.all()] == []  # nothing half-done
    assert list(Task.objects.values_list("title", flat=True)) == ["Still here"]
    broken = RuleRun.objects.get(rule__name="Broken")
    assert broken.status == "failed"
    assert [r["status"] for r in broken.results] == ["undone", "failed", "skipped"]
    assert "employees" in broken.error
    timeline = Event.objects.for_subject(account).filter(kind="automation.ran")
    assert {e.payload["status"] for e in timeline} == {"failed", "done"}


def test_an_unconnected_action_fails_with_a_clear_error(org, restore_actions):
    register_action("beam", "Beam to the mothership", ())
    created_rule(org, [{"type": "beam"}])
    make_account(org.owner)
    run_queued()
    run = RuleRun.objects.get()
    assert run.status == "failed" and run.error == "This action is not connected yet."


@pytest.fixture
def restore_actions():
    saved = dict(_ACTIONS)
    yield
    _ACTIONS.clear()
    _ACTIONS.update(saved)


def test_wiring_a_declared_action(org, restore_actions):
    seen = []

    def notify(context: ActionContext, params: dict) -> str:
        seen.append((context.record.name, params["users"], params["message"],
                     context.actor.username))
        return "notified"

    wire_action("notify", notify)
    created_rule(org, [{"type": "notify", "users": [org.manager.pk], "message": "ใหม่"}])
    make_account(org.owner, "Wired")
    run_queued()
    assert seen == [("Wired", [org.manager.pk], "ใหม่", "admin")]
    assert RuleRun.objects.get().results[0]["result"] == "notified"


def test_actions_run_as_the_rule_author_through_the_gate(org):
    rule = created_rule(org, [{"type": "add_tag", "tag": "x"}])
    org.admin.role = org.owner.role  # the author is no longer an administrator
    org.admin.save()
    account = make_account(org.outsider)  # a West record the East rep may not change
    run_queued()
    run = RuleRun.objects.get(rule=rule)
    assert run.status == "failed" and "may not change" in run.error
    assert [t.name for t in account.tags.all()] == []


def test_a_rule_on_an_updated_record_changes_it_without_a_conflict(org):
    make_rule(org.admin, event="updated", conditions=[
        {"type": "changed_to", "field": "tier", "value": "key"}],
        actions=[{"type": "set_field", "field": "lifecycle_stage", "value": "customer"}])
    account = make_account(org.owner)
    record_update(record=account, user=org.owner, data={"tier": "key"})
    run_queued()
    account.refresh_from_db()
    assert account.lifecycle_stage == "customer"
