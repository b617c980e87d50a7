"""Each trigger: an event kind, N days after/before a date field (built-in and custom), and
nothing happened for N days; each fires at most once per record per due date."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext

from amity.activities.models import Task
from amity.automation.engine import rules_run_for_event
from amity.automation.models import Rule, RuleRun
from amity.automation.schedule import rules_run_due
from amity.automation.services import rule_move
from amity.automation.tasks import run_time_rules
from amity.core.services import record_assign, record_update
from amity.events.models import Event
from amity.events.services import publish
from tests.automation.helpers import make_rule, queued, run_queued
from tests.conftest import define_custom_field, make_account, make_contact

TASK = {"type": "create_task", "title": "Call them"}


def tasks_about(record):
    return list(Task.objects.filter(**{record._meta.model_name: record}).values_list(
        "title", flat=True))


def test_an_event_rule_creates_a_task_for_the_owner(org):
    make_rule(org.admin, event="created", actions=[TASK])
    account = make_account(org.owner, "Siam Fresh")
    assert len(queued()) == 1  # enqueued in the publisher's transaction
    run_queued()
    task = Task.objects.get(account=account)
    assert task.title == "Call them" and task.owner == org.owner and task.team == org.east
    run = RuleRun.objects.get()
    assert run.status == "done" and run.results[0]["status"] == "done"
    assert Event.objects.for_subject(account).filter(kind="automation.ran").count() == 1


def test_an_event_no_rule_watches_enqueues_nothing(org):
    make_rule(org.admin, event="deleted", actions=[TASK])
    make_contact(org.owner)  # no contact rule
    make_account(org.owner)  # an account rule, but for deletions
    assert queued() == []


def test_a_published_kind_from_another_app_triggers_its_rules(org):
    make_rule(org.admin, kind="customers.contact", event="email.received", actions=[TASK])
    contact = make_contact(org.owner)
    publish(subject=contact, kind="email.received", payload={"subject": "สวัสดี"})
    run_queued()
    assert tasks_about(contact) == ["Call them"]


def test_assigned_and_deleted_events(org):
    make_rule(org.admin, event="assigned", name="On assign",
              actions=[{"type": "add_tag", "tag": "handed over"}])
    account = make_account(org.owner)
    record_assign(record=account, user=org.admin, owner=org.teammate, team=org.east)
    run_queued()
    assert [t.name for t in account.tags.all()] == ["handed over"]


def test_running_an_event_twice_runs_each_rule_once(org):
    make_rule(org.admin, event="created", actions=[TASK])
    account = make_account(org.owner)
    event = Event.objects.for_subject(account).get(kind="created")
    assert rules_run_for_event(event.pk) == 1
    assert rules_run_for_event(event.pk) == 0
    assert tasks_about(account) == ["Call them"]


def date_rule(org, **extra):
    return make_rule(org.admin, kind="customers.contact", trigger="date", actions=[TASK],
                     **extra)


def test_rules_an_event_starts_run_in_the_listed_order(org):
    tier = [{"type": "set_field", "field": "tier", "value": value} for value in ("strategic",
                                                                              "key")]
    make_rule(org.admin, name="A", event="created", actions=[tier[0]])
    later = make_rule(org.admin, name="B", event="created", actions=[tier[1]])
    account = make_account(org.owner)
    run_queued()
    account.refresh_from_db()
    assert account.tier == "key"  # B ran last
    rule_move(actor=org.admin, rule=later, direction="up")
    other = make_account(org.owner)
    run_queued()
    other.refresh_from_db()
    assert other.tier == "strategic"  # now A runs last


def test_moving_rules_keeps_the_ends_and_is_for_administrators(org):
    first, last = (make_rule(org.admin, name=n, actions=[{"type": "add_tag", "tag": "x"}])
                   for n in ("first", "last"))
    rule_move(actor=org.admin, rule=first, direction="up")
    rule_move(actor=org.admin, rule=last, direction="down")
    assert list(Rule.objects.values_list("name", "position")) == [("first", 0), ("last", 1)]
    with pytest.raises(PermissionDenied):
        rule_move(actor=org.manager, rule=last, direction="up")
    with pytest.raises(ValidationError) as refused:
        rule_move(actor=org.admin, rule=last, direction="'; DROP TABLE x; --")
    assert "direction" in refused.value.message_dict
    assert list(Rule.objects.values_list("name", flat=True)) == ["first", "last"]
    Rule.objects.filter(pk=first.pk).delete()  # by another administrator, meanwhile
    with pytest.raises(Rule.DoesNotExist):
        rule_move(actor=org.admin, rule=first, direction="down")


def in_thai(message: str, **args) -> str:
    with translation.override("th"):
        text = gettext(message)
    assert text != message, "there is a Thai translation"
    return text % args if args else text


def test_a_rules_log_and_timeline_line_are_in_its_administrators_language(org):
    org.admin.language = "th"
    org.admin.save()
    make_rule(org.admin, event="created", actions=[TASK],
              conditions=[{"type": "field", "field": "tier", "op": "equals", "value": "key"}])
    account = make_account(org.owner, "Siam Fresh", tier="key")
    run_queued()
    run = RuleRun.objects.get()
    task = in_thai("Task “%(title)s” for %(owner)s", title="Call them", owner=org.owner)
    assert run.results[0]["result"] == task
    assert run.trigger == in_thai("Event: %(kind)s", kind="created")
    assert run.matched[0].startswith(in_thai("Tier"))
    line = Event.objects.for_subject(account).get(kind="automation.ran").payload["results"]
    assert line[0]["text"] == task


def test_a_time_based_rules_log_is_in_its_administrators_language(org):
    org.admin.language = "th"
    org.admin.save()
    date_rule(org, date_field="created_at", offset_days=3)
    make_contact(org.owner)
    due = timezone.now() + dt.timedelta(days=3)
    assert rules_run_due(due) == 1
    assert RuleRun.objects.get().trigger == in_thai("Due: %(date)s",
                                                   date=due.date().isoformat())


def test_days_after_a_builtin_date_field(org):
    rule = date_rule(org, date_field="created_at", offset_days=3)
    contact = make_contact(org.owner)
    now = timezone.now()
    assert rules_run_due(now + dt.timedelta(days=2)) == 0
    assert rules_run_due(now + dt.timedelta(days=3)) == 1
    assert rules_run_due(now + dt.timedelta(days=4)) == 0  # once per due date
    assert tasks_about(contact) == ["Call them"]
    assert RuleRun.objects.get(rule=rule).key == f"date:{(now + dt.timedelta(days=3)).date()}"


def test_days_before_a_custom_date_field(org):
    define_custom_field(org.admin, "renewal", "date", label="วันต่ออายุ")
    date_rule(org, date_field="custom.renewal", offset_days=-7)
    today = timezone.now().date()
    due = make_contact(org.owner, "Due", custom={"renewal": str(today + dt.timedelta(days=7))})
    later = make_contact(org.owner, "Later",
                         custom={"renewal": str(today + dt.timedelta(days=30))})
    make_contact(org.owner, "Without")
    run_time_rules.call()  # the periodic task itself
    run_time_rules.call()
    assert tasks_about(due) == ["Call them"]
    assert tasks_about(later) == []
    assert Task.objects.count() == 1


def test_a_birth_date_rule_with_conditions(org):
    date_rule(org, date_field="birth_date", offset_days=0,
              conditions=[{"type": "field", "field": "country", "op": "equals", "value": "TH"}])
    today = timezone.now().date()
    thai = make_contact(org.owner, "Thai", birth_date=today, country="TH")
    make_contact(org.owner, "Other", birth_date=today, country="IR")
    assert rules_run_due() == 1
    assert tasks_about(thai) == ["Call them"]


def test_a_date_rule_does_not_fire_for_due_dates_before_it_was_switched_on(org):
    today = timezone.now().date()
    make_contact(org.owner, custom={}, birth_date=today - dt.timedelta(days=2))
    date_rule(org, date_field="birth_date", offset_days=0)
    assert rules_run_due() == 0


def test_nothing_happened_for_n_days(org):
    rule = make_rule(org.admin, trigger="inactivity", quiet_days=10, actions=[TASK])
    quiet = make_account(org.owner, "Quiet")
    busy = make_account(org.owner, "Busy")
    later = timezone.now() + dt.timedelta(days=11)
    publish(subject=busy, kind="email.received", occurred_at=later - dt.timedelta(days=1))
    assert rules_run_due(later) == 1
    assert rules_run_due(later) == 0  # its own run is not activity, and it ran already
    assert tasks_about(quiet) == ["Call them"] and tasks_about(busy) == []
    # New activity, then another quiet spell: it fires again.
    publish(subject=quiet, kind="note", occurred_at=later)
    assert rules_run_due(later + dt.timedelta(days=11)) == 2
    assert RuleRun.objects.filter(rule=rule, subject_id=quiet.pk).count() == 2


@pytest.mark.parametrize("event", ["updated"])
def test_updated_events_with_a_changed_condition(org, event):
    make_rule(org.admin, event=event, conditions=[{"type": "changed", "field": "tier"}],
              actions=[TASK])
    account = make_account(org.owner)
    record_update(record=account, user=org.owner, data={"city": "Bangkok"})
    run_queued()
    assert tasks_about(account) == []
    record_update(record=account, user=org.owner, data={"tier": "key"})
    run_queued()
    assert tasks_about(account) == ["Call them"]


def test_a_rule_changed_from_an_event_to_a_date_trigger_still_fires(org):
    from amity.automation.services import rule_save

    rule = make_rule(org.admin, kind="customers.contact", event="created", actions=[TASK])
    contact = make_contact(org.owner, birth_date=timezone.now().date())
    run_queued()  # an "event:…" run for this contact
    rule_save(actor=org.admin, rule=rule, partial=True,
              data={"trigger": "date", "date_field": "birth_date", "offset_days": 0})
    assert rules_run_due() == 1
    assert tasks_about(contact) == ["Call them", "Call them"]
