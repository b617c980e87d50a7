"""Admin → Automation in the browser's terms: the rule list, the editor with rows added
and removed (HTMX), errors that name the row, dry runs, switching rules on and off, the
run log, sequences, and the rule's line on the record's timeline."""

import re

import pytest
from django.urls import reverse

from amity.automation.models import Rule, Sequence
from tests.automation.helpers import make_rule, run_queued
from tests.conftest import define_custom_field, make_account, signed_in

HTMX = {"HTTP_HX_REQUEST": "true"}
FORM = {"name": "Key accounts", "record_kind": "customers.account", "trigger": "event",
        "event_kind": "created", "active": "on",
        "c0-type": "field", "c0-field": "tier", "c0-op": "equals", "c0-value": "key",
        "a0-type": "create_task", "a0-title": "โทรหา", "a0-due_in_days": "1"}


def no_inline_code(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # htmx comes from a file
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers


@pytest.mark.parametrize("who", ["owner", "manager", "viewer"])
def test_automation_pages_answer_404_to_non_administrators(org, who):
    rule = make_rule(org.admin, actions=[{"type": "add_tag", "tag": "x"}])
    sequence = Sequence.objects.create(name="S", record_kind="customers.account", steps=[])
    client = signed_in(getattr(org, who))
    for name, args in (("rule_list", []), ("rule_create", []), ("rule_edit", [rule.pk]),
                       ("rule_runs", [rule.pk]), ("sequence_create", []),
                       ("sequence_edit", [sequence.pk])):
        assert client.get(reverse(name, args=args)).status_code == 404, name
    for name in ("rule_edit", "rule_toggle", "rule_move", "rule_delete"):
        assert client.post(reverse(name, args=[rule.pk]), FORM).status_code == 404, name
    assert client.post(reverse("rule_create"), FORM).status_code == 404
    rule.refresh_from_db()
    assert rule.active and rule.name == "Rule"
    assert "Automation" not in client.get("/areas/admin/").content.decode()


def test_an_administrator_makes_a_rule_in_the_editor(org):
    client = signed_in(org.admin)
    page = client.get(reverse("rule_create"))
    assert page.status_code == 200
    no_inline_code(page.content.decode())
    response = client.post(reverse("rule_create"), FORM)
    assert response.status_code == 302 and response.url == reverse("rule_list")
    rule = Rule.objects.get()
    assert rule.conditions == [{"type": "field", "field": "tier", "op": "equals",
                                "value": "key"}]
    assert rule.actions == [{"type": "create_task", "title": "โทรหา", "due_in_days": 1}]
    listing = client.get(reverse("rule_list")).content.decode()
    assert "Key accounts" in listing and "Event: Created" in listing
    # The saved rule opens with its values in the inputs.
    edit = client.get(reverse("rule_edit", args=[rule.pk])).content.decode()
    assert 'value="โทรหา"' in edit and '<option value="key" selected>' in edit


def test_rows_are_added_and_removed_without_saving(org):
    client = signed_in(org.admin)
    added = client.post(reverse("rule_create"), {**FORM, "op": "add_condition"}, **HTMX)
    html = added.content.decode()
    assert added.status_code == 200 and 'name="c1-type"' in html
    assert 'id="editor"' in html and not Rule.objects.exists()
    removed = client.post(reverse("rule_create"), {**FORM, "op": "remove_condition:0"}, **HTMX)
    html = removed.content.decode()
    assert 'name="c0-type"' not in html and "No conditions: every record matches." in html
    action = client.post(reverse("rule_create"), {**FORM, "op": "add_action"}, **HTMX)
    assert 'name="a1-title"' in action.content.decode()


def test_fields_follow_the_kind_including_custom_fields(org):
    define_custom_field(org.admin, "shoe_size", "number", label="ขนาดรองเท้า")
    client = signed_in(org.admin)
    html = client.post(reverse("rule_create"), {
        **FORM, "record_kind": "customers.contact", "op": "refresh"}, **HTMX).content.decode()
    assert '<option value="custom.shoe_size">ขนาดรองเท้า</option>' in html
    assert '<option value="family_name">' in html


def test_a_bad_value_is_named_by_its_row(org):
    client = signed_in(org.admin)
    response = client.post(reverse("rule_create"), {
        **FORM, "c1-type": "field", "c1-field": "employees", "c1-op": "gt", "c1-value": "ห้าสิบ",
        "a0-due_in_days": "-3"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Condition 2 · value: Enter a number." in html
    assert '<p class="error" data-field="c1-value">Enter a number.</p>' in html
    assert '<p class="error" data-field="a0-due_in_days">' in html
    assert 'value="ห้าสิบ"' in html  # what was typed stays
    assert not Rule.objects.exists()


def test_dry_run_in_the_editor_changes_nothing(org):
    make_account(org.owner, "Key East", tier="key")
    make_account(org.owner, "Low East", tier="low")
    client = signed_in(org.admin)
    html = client.post(reverse("rule_create"), {**FORM, "op": "dry_run"},
                       **HTMX).content.decode()
    assert "Records that match now: 1" in html and "Key East" in html
    assert "Low East" not in html and "It matches; the rule would:" in html
    assert not Rule.objects.exists()


def test_switching_a_rule_off_and_on(org):
    rule = make_rule(org.admin, actions=[{"type": "add_tag", "tag": "x"}])
    client = signed_in(org.admin)
    response = client.post(reverse("rule_toggle", args=[rule.pk]), **HTMX)
    assert "Activate" in response.content.decode()
    rule.refresh_from_db()
    assert rule.active is False
    client.post(reverse("rule_toggle", args=[rule.pk]))
    rule.refresh_from_db()
    assert rule.active is True


def test_the_run_log_and_the_timeline_show_what_a_rule_did(org):
    rule = make_rule(org.admin, name="Welcome", event="created",
                     actions=[{"type": "create_task", "title": "Say hello"},
                              {"type": "add_tag", "tag": "ใหม่"}])
    account = make_account(org.owner, "Fresh Co")
    run_queued()
    listing = signed_in(org.admin).get(reverse("rule_list")).content.decode()
    assert "Done" in listing  # the newest run's outcome
    log = signed_in(org.admin).get(reverse("rule_runs", args=[rule.pk])).content.decode()
    assert "Fresh Co" in log and "Task “Say hello” for owner" in log and "Tagged ใหม่" in log
    page = signed_in(org.owner).get(account.get_absolute_url()).content.decode()
    assert "Rule “Welcome”: Task “Say hello” for owner; Tagged ใหม่" in page
    assert "Open activities" in page and "Say hello" in page


def test_rules_are_moved_up_and_down_the_list(org):
    first, second, third = (make_rule(org.admin, name=name, actions=[{"type": "add_tag",
                                                                      "tag": "x"}])
                            for name in ("กฎแรก", "دوم", "第三"))
    client = signed_in(org.admin)

    def listed(html: str) -> list[str]:
        return re.findall(r'<tr id="rule-(\d+)"', html)

    response = client.post(reverse("rule_move", args=[third.pk]), {"direction": "up"}, **HTMX)
    assert response.status_code == 200
    assert listed(response.content.decode()) == [str(first.pk), str(third.pk), str(second.pk)]
    client.post(reverse("rule_move", args=[first.pk]), {"direction": "up"})  # stays first
    page = client.get(reverse("rule_list")).content.decode()
    assert listed(page) == [str(first.pk), str(third.pk), str(second.pk)]
    assert client.post(reverse("rule_move", args=[first.pk]),
                       {"direction": "sideways"}).status_code == 400
    no_inline_code(page)


def test_a_sequence_is_made_in_its_editor(org):
    client = signed_in(org.admin)
    form = {"name": "Nurture", "record_kind": "customers.account", "a0-type": "create_task",
            "a0-title": "First", "a1-type": "wait", "a1-amount": "2", "a1-unit": "days"}
    bad = client.post(reverse("sequence_create"), {**form, "a1-amount": "0"})
    assert bad.status_code == 422 and "Step 2 · amount: Enter a number" in bad.content.decode()
    assert client.post(reverse("sequence_create"), form).status_code == 302
    assert Sequence.objects.get().steps[1] == {"type": "wait", "amount": 2, "unit": "days"}


def test_the_editor_in_persian_is_right_to_left(org):
    org.admin.language = "fa"
    org.admin.save()
    html = signed_in(org.admin).get(reverse("rule_create")).content.decode()
    assert 'dir="rtl"' in html


def test_a_rule_is_deleted_from_its_page(org):
    rule = make_rule(org.admin, actions=[{"type": "add_tag", "tag": "x"}])
    client = signed_in(org.admin)
    assert reverse("rule_delete", args=[rule.pk]) in client.get(
        reverse("rule_edit", args=[rule.pk])).content.decode()
    assert client.post(reverse("rule_delete", args=[rule.pk])).status_code == 302
    assert not Rule.objects.exists()


def test_the_rule_list_costs_the_same_queries_for_more_rules(org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(org.admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("rule_list")).status_code == 200
        return len(captured)

    make_rule(org.admin, name="one", actions=[{"type": "add_tag", "tag": "x"}])
    few = queries()
    for name in ("two", "three", "four"):
        make_rule(org.admin, name=name, actions=[{"type": "add_tag", "tag": "x"}])
    assert queries() == few


def test_the_editor_offers_the_connected_channel_actions(org):
    html = signed_in(org.admin).get(reverse("rule_create")).content.decode()
    assert "Send an SMS" in html and "Send an email from a template" in html
    assert "not connected yet" not in html
    assert '<option value="create_task" selected>Create a task for the owner</option>' in html
