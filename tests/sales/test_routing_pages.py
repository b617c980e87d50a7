"""Admin → Lead assignment and Lead scoring: administrators only (404 for everyone else,
in the UI and the API), rules made, ordered and refused with field-named errors."""

import pytest
from django.urls import reverse

from amity.sales.models import AssignmentRule, ScoringModel
from tests.conftest import api_client, signed_in
from tests.sales.routing_helpers import make_rule

ADMIN_PAGES = ["lead_assignment", "assignment_rule_create", "lead_scoring"]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_pages_are_refused_to_others(org, name):
    for user in (org.owner, org.manager, org.viewer, org.partner):
        assert signed_in(user).get(reverse(name)).status_code == 404
    assert signed_in(org.admin).get(reverse(name)).status_code == 200


def test_changes_are_refused_to_others(org):
    rule = make_rule(org.admin, "East", users=[org.owner])
    client = signed_in(org.manager)
    for url in (reverse("assignment_rule_edit", args=[rule.pk]),
                reverse("assignment_rule_delete", args=[rule.pk]),
                reverse("assignment_rule_move", args=[rule.pk, "up"]),
                reverse("lead_scoring_recompute")):
        assert client.post(url, {"name": "hijacked"}).status_code == 404
    assert AssignmentRule.objects.get().name == "East"
    assert client.post(reverse("lead_scoring"), {"criteria-count": "0"}).status_code == 404
    assert not ScoringModel.objects.exists()


def test_the_admin_menu_offers_lead_assignment(org):
    page = signed_in(org.admin).get(reverse("area", args=["admin"])).content.decode()
    assert reverse("lead_assignment") in page
    assert reverse("lead_assignment") not in signed_in(org.owner).get(reverse("home")) \
        .content.decode()


def test_admin_makes_and_orders_rules_in_the_ui(org):
    client = signed_in(org.admin)
    response = client.post(reverse("assignment_rule_create"), {
        "name": "ภาคเหนือ", "active": "on", "countries": "th, ir", "regions": "เชียงใหม่，تهران",
        "postcode_prefixes": "50", "product_interests": "云服务\nERP", "users": [org.owner.pk],
        "work_days": ["0", "1"], "work_start": "09:00", "work_end": "17:30",
        "max_open_leads": "20", "reassign_after_hours": "8"})
    assert response.status_code == 302
    rule = AssignmentRule.objects.get()
    assert rule.countries == ["TH", "IR"] and rule.regions == ["เชียงใหม่", "تهران"]
    assert rule.product_interests == ["云服务", "ERP"] and rule.work_days == [0, 1]
    second = make_rule(org.admin, "Rest", users=[org.teammate])
    assert client.post(reverse("assignment_rule_move", args=[second.pk, "up"])).status_code \
        == 302
    page = client.get(reverse("lead_assignment")).content.decode()
    assert page.index("<bdi>Rest</bdi>") < page.index("<bdi>ภาคเหนือ</bdi>")


@pytest.mark.parametrize(("posted", "field"), [
    ({"score_min": "ten"}, "score_min"),
    ({"score_min": "50", "score_max": "10"}, "score_max"),
    ({"score_min": str(10**15)}, "score_min"),
    ({"max_open_leads": "0"}, "max_open_leads"),
    ({"work_start": "09:00"}, "work_end"),
    ({"work_start": "25:00", "work_end": "17:00"}, "work_start"),
    ({"countries": "THA"}, "countries"),
    ({"users": ["999999"]}, "users"),
    ({"name": ""}, "name"),
    ({"name": "a\x00b"}, "name"),
])
def test_bad_rules_are_refused_with_the_field_named(org, posted, field):
    data = {"name": "Rule", "users": [org.owner.pk], **posted}
    response = signed_in(org.admin).post(reverse("assignment_rule_create"), data)
    assert response.status_code == 422
    assert f'data-field="{field}"' in response.content.decode()
    assert not AssignmentRule.objects.exists()


def test_scoring_editor_adds_rows_and_names_bad_inputs(org):
    client = signed_in(org.admin)
    page = client.post(reverse("lead_scoring"), {"criteria-count": "0", "op": "add:criteria"})
    assert 'name="criteria-0-points"' in page.content.decode()
    response = client.post(reverse("lead_scoring"), {
        "active": "on", "criteria-count": "1", "criteria-0-field": "industry",
        "criteria-0-op": "equals", "criteria-0-value": "金融", "criteria-0-points": "1e9",
        "grades-count": "2", "grades-0-grade": "A", "grades-0-min": "80",
        "grades-1-grade": "B", "grades-1-min": "80", "ready_grade": "A"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-field="criteria-0-points"' in html and 'data-field="grades-1-min"' in html
    assert 'value="金融"' in html  # what was typed is kept
    assert not ScoringModel.objects.exists()
    saved = client.post(reverse("lead_scoring"), {
        "active": "on", "criteria-count": "1", "criteria-0-field": "industry",
        "criteria-0-op": "equals", "criteria-0-value": "金融", "criteria-0-points": "25",
        "behaviours-count": "1", "behaviours-0-event_kind": "email.opened",
        "behaviours-0-points": "3", "behaviours-0-half_life_days": "7.5",
        "behaviours-0-cap": "", "grades-count": "1", "grades-0-grade": "A",
        "grades-0-min": "20", "ready_grade": "A"})
    assert saved.status_code == 302
    model = ScoringModel.objects.get()
    assert model.criteria[0]["points"] == 25 and model.behaviours[0]["half_life_days"] == 7.5


def test_api_is_for_administrators_only(org):
    rule = make_rule(org.admin, "East", users=[org.owner])
    for user in (org.owner, org.manager, org.viewer):
        client = api_client(user)
        assert client.get("/api/v1/lead-routing/rules/").status_code == 404
        assert client.get(f"/api/v1/lead-routing/rules/{rule.pk}").status_code == 404
        assert client.patch(f"/api/v1/lead-routing/rules/{rule.pk}", data={"name": "x"},
                            content_type="application/json").status_code == 404
        assert client.get("/api/v1/lead-routing/scoring-model").status_code == 404
        assert client.put("/api/v1/lead-routing/scoring-model", data={},
                          content_type="application/json").status_code == 404
    assert AssignmentRule.objects.get().name == "East"


def test_api_creates_changes_and_refuses_rules(org):
    client = api_client(org.admin)
    created = client.post("/api/v1/lead-routing/rules/", data={
        "name": "上海", "regions": ["上海"], "team": org.east.pk, "score_min": 10,
        "work_start": "08:00", "work_end": "20:00"}, content_type="application/json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["regions"] == ["上海"] and body["team"] == org.east.pk and body["active"]
    changed = client.patch(f"/api/v1/lead-routing/rules/{body['id']}",
                           data={"score_max": 5}, content_type="application/json")
    assert changed.status_code == 422
    assert changed.json()["errors"] == [{"field": "score_max", "message":
                                         "Give a maximum score at or above the minimum."}]
    changed = client.patch(f"/api/v1/lead-routing/rules/{body['id']}",
                           data={"active": False}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["regions"] == ["上海"]
    bad = client.post("/api/v1/lead-routing/rules/", data={
        "name": "x", "users": ["abc"], "owner": 1}, content_type="application/json")
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} >= {"users.0", "owner"}
    assert client.delete(f"/api/v1/lead-routing/rules/{body['id']}").status_code == 204
    assert not AssignmentRule.objects.exists()
