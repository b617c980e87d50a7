"""Admin → Lead assignment and Lead scoring: administrators only (404 for everyone else,
in the UI and the API), rules made, ordered and refused with field-named errors."""

import pytest
from django.urls import reverse

from amity.sales.models import AssignmentRule, ScoringModel
from tests.conftest import api_client, signed_in
from tests.sales.routing_helpers import (
    english,  # noqa: F401 - autouse
    make_rule,
)

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


def test_rule_list_reads_a_fixed_number_of_queries(org, django_assert_max_num_queries):
    for i in range(12):
        make_rule(org.admin, f"Rule {i}", users=[org.owner, org.teammate], team=org.east,
                  queue_user=org.manager, queue_team=org.west)
    client = signed_in(org.admin)
    client.get(reverse("lead_assignment"))  # warm the session and caches
    with django_assert_max_num_queries(12):
        assert client.get(reverse("lead_assignment")).status_code == 200


def test_answers_conform_to_the_openapi_document(org):
    from openapi_core import OpenAPI
    from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

    from tests.sales.routing_helpers import make_lead

    client = api_client(org.admin)
    openapi = OpenAPI.from_dict(client.get("/api/v1/openapi.json").json())

    def check(response):
        openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request),
                                  DjangoOpenAPIResponse(response))
        return response

    def send(method: str, url: str, body: dict):
        return getattr(client, method)(url, data=body, content_type="application/json")

    base = "/api/v1/lead-routing"
    rule = check(send("post", f"{base}/rules/", {
        "name": "ไทย", "countries": ["TH"], "users": [org.owner.pk],
        "work_start": "09:00", "work_end": "18:00"})).json()
    scoring = {"criteria": [{"field": "country", "op": "equals", "value": "TH",
                             "points": 40}],
               "grades": [{"grade": "A", "min": 30}], "ready_grade": "A"}
    lead = make_lead(org.manager, "สมชาย", country="TH")
    for response in (client.get(f"{base}/rules/"), client.get(f"{base}/rules/{rule['id']}"),
                     send("patch", f"{base}/rules/{rule['id']}", {"score_min": 1}),
                     send("post", f"{base}/rules/", {"name": ""}),
                     send("put", f"{base}/scoring-model", scoring),
                     client.get(f"{base}/scoring-model"),
                     client.post(f"{base}/scoring-model/recompute"),
                     client.get(f"{base}/leads/{lead.pk}/score"),
                     client.post(f"{base}/leads/{lead.pk}/assign")):
        assert check(response).status_code in (200, 202, 422)


def test_pages_speak_the_administrators_language(org):
    org.admin.language = "fa"
    org.admin.save()
    make_rule(org.admin, "تهران", regions=["تهران"], users=[org.owner])
    page = signed_in(org.admin).get(reverse("lead_assignment")).content.decode()
    assert 'dir="rtl"' in page and "واگذاری سرنخ" in page and "<bdi>تهران</bdi>" in page
    org.admin.language = "zh-hans"
    org.admin.save()
    page = signed_in(org.admin).get(reverse("lead_scoring")).content.decode()
    assert "线索评分" in page and "字段条件" in page
