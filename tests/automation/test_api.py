"""The automation API: administrators only (404 for everyone else), every bad input
answered with the field that is wrong, dry runs that change nothing."""

import json

import pytest

from amity.automation.models import Rule, RuleRun
from tests.conftest import api_client, define_custom_field, make_account, make_contact


def send(client, method, url, body=None):
    return getattr(client, method)(url, json.dumps(body) if body is not None else None,
                                   content_type="application/json")


RULE = {"name": "ลูกค้าใหม่ → โทร 📞", "active": True, "record_kind": "customers.account",
        "trigger": "event", "event_kind": "created",
        "conditions": [{"type": "field", "field": "tier", "op": "equals", "value": "key"}],
        "actions": [{"type": "create_task", "title": "تماس بگیرید", "due_in_days": 1}]}


def errors(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def test_an_administrator_creates_reads_changes_and_deletes_a_rule(org):
    client = api_client(org.admin)
    created = send(client, "post", "/api/v1/automation/rules/", RULE)
    assert created.status_code == 201, created.content
    rule = created.json()
    assert rule["name"] == RULE["name"] and rule["run_as"] == org.admin.pk
    url = f"/api/v1/automation/rules/{rule['id']}"
    assert client.get(url).json()["actions"][0]["title"] == "تماس بگیرید"
    off = send(client, "patch", url, {"active": False})
    assert off.status_code == 200 and off.json()["active"] is False
    assert [r["id"] for r in client.get("/api/v1/automation/rules/").json()["results"]] == \
        [rule["id"]]
    assert client.delete(url).status_code == 204
    assert not Rule.objects.exists()


def test_the_run_log_through_the_api(org):
    client = api_client(org.admin)
    rule = send(client, "post", "/api/v1/automation/rules/", RULE).json()
    make_account(org.owner, tier="key")
    from tests.automation.helpers import run_queued

    run_queued()
    runs = client.get(f"/api/v1/automation/rules/{rule['id']}/runs").json()["results"]
    assert len(runs) == 1 and runs[0]["status"] == "done"
    assert runs[0]["matched"] == ["Tier is Key"]


@pytest.mark.parametrize("who", ["owner", "manager", "viewer", "partner"])
def test_everyone_but_administrators_gets_404(org, who):
    rule = send(api_client(org.admin), "post", "/api/v1/automation/rules/", RULE).json()
    client = api_client(getattr(org, who))
    url = f"/api/v1/automation/rules/{rule['id']}"
    assert client.get("/api/v1/automation/rules/").status_code == 404
    assert client.get("/api/v1/automation/catalog").status_code == 404
    assert send(client, "post", "/api/v1/automation/rules/", RULE).status_code == 404
    assert client.get(url).status_code == 404
    assert send(client, "patch", url, {"active": False}).status_code == 404
    assert client.delete(url).status_code == 404
    assert client.get(f"{url}/runs").status_code == 404
    assert send(client, "post", f"{url}/dry-run", {}).status_code == 404
    assert send(client, "post", "/api/v1/automation/dry-run", RULE).status_code == 404
    assert client.get("/api/v1/automation/sequences/").status_code == 404
    assert Rule.objects.get().active is True


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"name": "  "}, "name", "Give the rule a name."),
    ({"record_kind": "org.user"}, "record_kind", "Rules cannot watch this kind of record."),
    ({"event_kind": "DROP TABLE x;"}, "event_kind", "An event kind is lower-case"),
    ({"trigger": "date", "date_field": "name"}, "date_field", "Choose a date field"),
    ({"trigger": "inactivity", "quiet_days": 0}, "quiet_days", "Enter a whole number of days"),
    ({"trigger": "date", "date_field": "created_at", "offset_days": 10**20}, "offset_days",
     "Enter a whole number of days"),
    ({"conditions": [{"type": "field", "field": "shoe_size", "op": "equals", "value": "1"}]},
     "conditions.0.field", "Choose a field of this kind of record."),
    ({"conditions": [{"type": "field", "field": "employees", "op": "gt", "value": "ห้าสิบ"}]},
     "conditions.0.value", "Enter a number."),
    ({"conditions": [{"type": "field", "field": "annual_revenue", "op": "gt",
                      "value": "1000 ฿฿฿"}]}, "conditions.0.value", "Give an amount and a"),
    ({"conditions": [{"type": "field", "field": "annual_revenue", "op": "gt",
                      "value": "1000 XYZ"}]}, "conditions.0.value", "XYZ is not an ISO"),
    ({"conditions": [{"type": "field", "field": "created_at", "op": "lt",
                      "value": "۱۴۰۳/۰۱/۰۱"}]}, "conditions.0.value", "Enter the date"),
    ({"conditions": [{"type": "field", "field": "tier", "op": "gt", "value": "key"}]},
     "conditions.0.op", "This comparison does not apply to Tier."),
    ({"conditions": [{"type": "field", "field": "tier", "op": "equals", "value": "🚀"}]},
     "conditions.0.value", "Choose one of"),
    ({"conditions": [{"type": "segment"}]}, "conditions.0.type", "Choose a kind of condition."),
    ({"conditions": [{"type": "tag", "op": "has", "value": "x" * 101}]}, "conditions.0.value",
     "A tag may have at most 100 characters."),
    ({"event_kind": "created", "conditions": [{"type": "changed", "field": "tier"}]},
     "conditions.0.type", "This condition needs a rule started by: updated."),
    ({"actions": []}, "actions", "Add at least one action."),
    ({"actions": [{"type": "format_disk"}]}, "actions.0.type", "Choose an action."),
    ({"actions": [{"type": "create_task"}]}, "actions.0.title", "This field is required."),
    ({"actions": [{"type": "create_task", "title": "x", "evil": 1}]}, "actions.0.evil",
     "This action has no such setting."),
    ({"actions": [{"type": "create_task", "title": "ยาว" * 100}]}, "actions.0.title",
     "Enter at most 200 characters."),
    ({"actions": [{"type": "create_task", "title": "a\x00b"}]}, "actions.0.title",
     "Remove the control characters."),
    ({"actions": [{"type": "create_task", "title": "x", "due_in_days": "soon"}]},
     "actions.0.due_in_days", "Enter a whole number."),
    ({"actions": [{"type": "set_field", "field": "owner", "value": "1"}]}, "actions.0.field",
     "Choose a field that rules can set."),
    ({"actions": [{"type": "set_field", "field": "employees", "value": "ห้าสิบ"}]},
     "actions.0.value", "Enter a number."),
    ({"actions": [{"type": "assign", "mode": "user", "user": 999999}]}, "actions.0.user",
     "Choose an active user."),
    ({"actions": [{"type": "call_webhook", "url": "javascript:alert(1)"}]}, "actions.0.url",
     "Enter a web address"),
    ({"actions": [{"type": "start_sequence", "sequence": "1"}]}, "actions.0.sequence",
     "Choose one of the offered values."),
    ({"actions": [{"type": "wait", "amount": 1, "unit": "days"}]}, "actions.0.type",
     "Choose an action."),
    ({"record_kind": "activities.task", "conditions": [],
      "actions": [{"type": "add_tag", "tag": "x"}]}, "actions.0.tag",
     "This kind of record has no tags."),
])
def test_bad_rule_input_names_the_field(org, change, field, message):
    response = send(api_client(org.admin), "post", "/api/v1/automation/rules/",
                    {**RULE, **change})
    found = errors(response)
    assert field in found, found
    assert found[field].startswith(message), found[field]
    assert not Rule.objects.exists()


def test_another_teams_user_as_assignee_is_a_field_error(org):
    client = api_client(org.admin)
    response = send(client, "post", "/api/v1/automation/rules/", {**RULE, "actions": [
        {"type": "assign", "mode": "user", "user": org.outsider.pk, "team": org.east.pk}]})
    assert errors(response)["actions.0.user"] == "This user is not in the chosen team."
    response = send(client, "post", "/api/v1/automation/rules/", {**RULE, "actions": [
        {"type": "assign", "mode": "round_robin", "team": 999999}]})
    assert errors(response)["actions.0.team"] == "Choose a team."


def test_values_in_any_script_are_kept(org):
    define_custom_field(org.admin, "nickname", "text", kind="customers.account")
    body = {**RULE, "conditions": [
        {"type": "field", "field": "custom.nickname", "op": "contains", "value": "ศรี 🌸"},
        {"type": "tag", "op": "has", "value": "مشتری ویژه"}],
        "actions": [{"type": "add_tag", "tag": "重要客户"},
                    {"type": "set_field", "field": "description", "value": "'; DROP TABLE--"}]}
    created = send(api_client(org.admin), "post", "/api/v1/automation/rules/", body)
    assert created.status_code == 201, created.content
    rule = Rule.objects.get()
    assert rule.conditions[0]["value"] == "ศรี 🌸" and rule.actions[0]["tag"] == "重要客户"


def test_dry_run_of_a_saved_and_an_unsaved_rule_changes_nothing(org):
    client = api_client(org.admin)
    rule = send(client, "post", "/api/v1/automation/rules/", RULE).json()
    key = make_account(org.owner, "Key East", tier="key")
    make_account(org.outsider, "Key West", tier="key")
    make_account(org.owner, "Low", tier="low")
    saved = send(client, "post", f"/api/v1/automation/rules/{rule['id']}/dry-run",
                 {"sample": key.pk}).json()
    assert saved["count"] == 2 and not saved["capped"]
    huge = send(client, "post", f"/api/v1/automation/rules/{rule['id']}/dry-run",
                {"sample": 10**20})
    assert "sample" in errors(huge)
    assert {r["name"] for r in saved["records"]} == {"Key East", "Key West"}
    assert saved["sample"]["name"] == "Key East" and saved["sample_matches"] is True
    assert saved["actions"] == ["Create the task “تماس بگیرید” for the owner · due in 1 days"]
    unsaved = send(client, "post", "/api/v1/automation/dry-run", {**RULE, "conditions": [
        {"type": "field", "field": "tier", "op": "equals", "value": "low"}]}).json()
    assert [r["name"] for r in unsaved["records"]] == ["Low"]
    bad = send(client, "post", "/api/v1/automation/dry-run", {**RULE, "conditions": [
        {"type": "field", "field": "tier", "op": "equals", "value": "gold"}]})
    assert "conditions.0.value" in errors(bad)
    assert not RuleRun.objects.exists()
    from amity.activities.models import Task

    assert not Task.objects.exists()


def test_sequences_through_the_api(org):
    client = api_client(org.admin)
    made = send(client, "post", "/api/v1/automation/sequences/", {
        "name": "Nurture", "record_kind": "customers.contact",
        "steps": [{"type": "create_task", "title": "a"},
                  {"type": "wait", "amount": 0, "unit": "days"}]})
    assert errors(made) == {"steps.1.amount": "Enter a number from 1 to 8760."}
    made = send(client, "post", "/api/v1/automation/sequences/", {
        "name": "Nurture", "record_kind": "customers.contact",
        "steps": [{"type": "create_task", "title": "a"},
                  {"type": "wait", "amount": 2, "unit": "days"}]})
    assert made.status_code == 201
    make_contact(org.owner)
    catalog = client.get("/api/v1/automation/catalog").json()
    start = next(a for a in catalog["actions"] if a["key"] == "start_sequence")
    assert start["available"] is True
    assert next(a for a in catalog["actions"] if a["key"] == "send_email")["available"] is True


def test_values_a_builtin_field_would_refuse_are_refused_when_saving(org):
    client = api_client(org.admin)
    long_country = send(client, "post", "/api/v1/automation/rules/", {**RULE, "actions": [
        {"type": "set_field", "field": "country", "value": "Thailand"}]})
    assert errors(long_country)["actions.0.value"] == "Enter at most 2 characters."
    fraction = send(client, "post", "/api/v1/automation/rules/", {**RULE, "actions": [
        {"type": "set_field", "field": "employees", "value": "1.5"}]})
    assert errors(fraction)["actions.0.value"] == "Enter a whole number."
    owner = send(client, "post", "/api/v1/automation/rules/", {**RULE, "conditions": [
        {"type": "field", "field": "owner", "op": "equals", "value": str(org.owner.pk)}]})
    assert owner.status_code == 201


def test_rules_are_reordered_through_the_api(org):
    client = api_client(org.admin)
    ids = [send(client, "post", "/api/v1/automation/rules/", {**RULE, "name": name}).json()["id"]
           for name in ("a", "b")]
    moved = send(client, "post", f"/api/v1/automation/rules/{ids[1]}/move", {"direction": "up"})
    assert moved.status_code == 200
    assert [(r["id"], r["position"]) for r in moved.json()["results"]] == \
        [(ids[1], 0), (ids[0], 1)]
    bad = send(client, "post", f"/api/v1/automation/rules/{ids[1]}/move", {"direction": 1})
    assert "direction" in errors(bad)
    other = send(api_client(org.owner), "post", f"/api/v1/automation/rules/{ids[0]}/move",
                 {"direction": "up"})
    assert other.status_code == 404
    assert list(Rule.objects.values_list("id", flat=True)) == [ids[1], ids[0]]


def test_automation_answers_conform_to_the_openapi_document(org):
    from openapi_core import OpenAPI
    from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

    client = api_client(org.admin)
    openapi = OpenAPI.from_dict(client.get("/api/v1/openapi.json").json())

    def check(response):
        openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request),
                                  DjangoOpenAPIResponse(response))
        return response

    rule = check(send(client, "post", "/api/v1/automation/rules/", RULE)).json()
    make_account(org.owner, tier="key")
    from tests.automation.helpers import run_queued

    run_queued()
    url = f"/api/v1/automation/rules/{rule['id']}"
    for response in (client.get("/api/v1/automation/rules/"), client.get(url),
                     client.get(f"{url}/runs"), client.get("/api/v1/automation/catalog"),
                     send(client, "post", f"{url}/dry-run", {}),
                     send(client, "post", f"{url}/move", {"direction": "down"}),
                     send(client, "patch", url, {"active": False}),
                     send(client, "post", "/api/v1/automation/rules/", {**RULE, "name": ""}),
                     client.get("/api/v1/automation/sequences/")):
        assert check(response).status_code in (200, 422)
