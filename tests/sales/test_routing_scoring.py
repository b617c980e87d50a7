"""Lead scoring: field criteria, behaviour points that halve every half-life and stop at
a cap, grades, the ready-for-sales event, recomputation when inputs change, and the
explanation on the lead page."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from amity.core.services import record_update
from amity.events.models import Event
from amity.events.services import publish
from amity.sales.lead_scoring import READY, explain, score_all_leads
from amity.sales.models import Lead
from amity.sales.routing_tasks import recompute_all_lead_scores
from amity.sales.scoring_rules import scoring_model_clean
from tests.conftest import api_client, signed_in
from tests.sales.routing_helpers import (
    english,  # noqa: F401 - autouse
    make_lead,
    make_scoring,
    run_routing_tasks,
)

CRITERIA = [
    {"field": "industry", "op": "equals", "value": "ซอฟต์แวร์", "points": 30},
    {"field": "employees", "op": "gte", "value": 200, "points": 20},
    {"field": "country", "op": "in", "value": ["TH", "IR", "CN"], "points": 10},
    {"field": "job_title", "op": "contains", "value": "مدیر", "points": 15},
    {"field": "company", "op": "contains", "value": "科技", "points": 5},
]
BEHAVIOURS = [{"event_kind": "email.opened", "points": 8, "half_life_days": 7, "cap": 20},
              {"event_kind": "web.page_visited", "points": 2, "half_life_days": 1}]


@pytest.fixture
def scoring(org):
    return make_scoring(org.admin, criteria=CRITERIA, behaviours=BEHAVIOURS)


def test_field_criteria_score_and_grade_a_new_lead(org, scoring):
    lead = make_lead(org.owner, "رضایی", industry="ซอฟต์แวร์", employees=500,
                     country="IR", job_title="مدیر فروش", company="华为科技")
    lead.refresh_from_db()
    assert (lead.score, lead.grade) == (80, "A")
    lines = {line.label: line.points for line in explain(lead).lines}
    assert lines == {"Industry equals ซอฟต์แวร์": 30, "Employees is at least 200": 20,
                     "Country is one of TH, IR, CN": 10, "Job title contains مدیر": 15,
                     "Company contains 科技": 5}


def test_text_comparisons_ignore_case_and_width(org, scoring):
    lead = make_lead(org.owner, "x", company="ＡＢＣ科技", country="cn")
    lead.refresh_from_db()
    assert lead.score == 15


def test_decay_halves_points_every_half_life(org, scoring):
    lead = make_lead(org.owner, "สมชาย")
    now = timezone.now()
    publish(subject=lead, kind="email.opened", occurred_at=now - dt.timedelta(days=7))
    publish(subject=lead, kind="web.page_visited", occurred_at=now - dt.timedelta(days=2))
    publish(subject=lead, kind="web.page_visited", occurred_at=now)
    result = explain(lead, now=now)
    points = {line.label: line.points for line in result.lines}
    assert points["email.opened"] == 4.0  # 8 × ½ after one half-life
    assert points["web.page_visited"] == 2.5  # 2 now + 2 × ¼
    assert result.score == 6  # 6.5 rounds to even


def test_behaviour_points_stop_at_the_cap(org, scoring):
    lead = make_lead(org.owner)
    for _i in range(5):
        publish(subject=lead, kind="email.opened")
    line = next(x for x in explain(lead).lines if x.label == "email.opened")
    assert line.points == 20
    assert "capped at 20" in line.detail and "5 events" in line.detail


def test_an_event_about_the_lead_queues_a_recompute(org, scoring):
    lead = make_lead(org.owner, industry="ซอฟต์แวร์")
    publish(subject=lead, kind="email.opened")
    lead.refresh_from_db()
    assert lead.score == 30  # not yet: the worker recomputes
    assert run_routing_tasks() >= 1
    lead.refresh_from_db()
    assert lead.score == 38


def test_changing_the_lead_recomputes_and_ready_is_announced_once(org, scoring):
    lead = make_lead(org.owner, industry="ซอฟต์แวร์", employees=500, country="TH")
    lead.refresh_from_db()
    assert (lead.score, lead.grade) == (60, "B")
    record_update(record=lead, user=org.owner, data={"job_title": "مدیر"})
    run_routing_tasks()
    lead.refresh_from_db()
    assert (lead.score, lead.grade) == (75, "B")
    record_update(record=lead, user=org.owner, data={"company": "腾讯科技"})
    run_routing_tasks()
    lead.refresh_from_db()
    assert (lead.score, lead.grade) == (80, "A")
    ready = Event.objects.for_subject(lead).filter(kind=READY)
    assert [e.payload for e in ready] == [{"score": 80, "grade": "A"}]
    score_all_leads()  # running again changes nothing and announces nothing
    assert Event.objects.for_subject(lead).filter(kind=READY).count() == 1


def test_full_recompute_follows_a_new_model(org, scoring):
    leads = [make_lead(org.owner, f"L{i}", employees=100 * i) for i in range(5)]
    make_scoring(org.admin, criteria=[{"field": "employees", "op": "gte", "value": 300,
                                       "points": 55}])
    assert recompute_all_lead_scores.call() == 3  # 200: 20 → 0; 300, 400: 20 → 55
    scores = dict(Lead.objects.filter(pk__in=[x.pk for x in leads]).values_list("pk", "grade"))
    assert sorted(scores.values()) == ["", "", "", "B", "B"]


def test_the_recompute_command_reports_what_it_did(org, scoring):
    from io import StringIO

    from django.core.management import call_command

    make_lead(org.owner)
    out = StringIO()
    call_command("recompute_lead_scores", stdout=out)
    assert "1 leads scored" in out.getvalue()


def test_the_score_panel_explains_to_those_who_may_see(org, scoring):
    lead = make_lead(org.owner, "王", industry="ซอฟต์แวร์", company="华为科技")
    page = signed_in(org.teammate).get(reverse("lead_score_panel", args=[lead.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Industry equals ซอฟต์แวร์" in html and "Company contains 科技" in html
    assert "Assign by rules" in html
    assert signed_in(org.outsider).get(
        reverse("lead_score_panel", args=[lead.pk])).status_code == 404
    body = api_client(org.owner).get(f"/api/v1/lead-routing/leads/{lead.pk}/score").json()
    assert body["score"] == 35 and body["lines"][0]["points"] == 30
    assert api_client(org.outsider).get(
        f"/api/v1/lead-routing/leads/{lead.pk}/score").status_code == 404


def errors_of(data: dict) -> dict:
    with pytest.raises(ValidationError) as caught:
        scoring_model_clean(data)
    return caught.value.message_dict


@pytest.mark.parametrize(("data", "field"), [
    ({"criteria": [{"field": "industry", "op": "equals", "value": "x", "points": "ten"}]},
     "criteria.0.points"),
    ({"criteria": [{"field": "industry", "op": "equals", "value": "x", "points": 10**12}]},
     "criteria.0.points"),
    ({"criteria": [{"field": "industry", "op": "equals", "value": "x", "points": 1.5}]},
     "criteria.0.points"),
    ({"criteria": [{"field": "industry", "op": "equals", "value": "x", "points": True}]},
     "criteria.0.points"),
    ({"criteria": [{"field": "password", "op": "equals", "value": "x", "points": 1}]},
     "criteria.0.field"),
    ({"criteria": [{"field": "employees", "op": "contains", "value": "x", "points": 1}]},
     "criteria.0.op"),
    ({"criteria": [{"field": "employees", "op": "gte", "value": "多", "points": 1}]},
     "criteria.0.value"),
    ({"criteria": [{"field": "region", "op": "equals", "value": "x" * 201, "points": 1}]},
     "criteria.0.value"),
    ({"criteria": "DROP TABLE sales_lead;"}, "criteria"),
    ({"behaviours": [{"event_kind": "Email Opened'; --", "points": 1}]},
     "behaviours.0.event_kind"),
    ({"behaviours": [{"event_kind": "email.opened", "points": 1, "half_life_days": "0"}]},
     "behaviours.0.half_life_days"),
    ({"behaviours": [{"event_kind": "email.opened", "points": 1, "half_life_days": "NaN"}]},
     "behaviours.0.half_life_days"),
    ({"behaviours": [{"event_kind": "email.opened", "points": 1, "cap": -1}]},
     "behaviours.0.cap"),
    ({"behaviours": [{"event_kind": "a.b", "points": 1}, {"event_kind": "a.b", "points": 2}]},
     "behaviours.1.event_kind"),
    ({"grades": [{"grade": "A", "min": 80}, {"grade": "B", "min": 80}]}, "grades.1.min"),
    ({"grades": [{"grade": "A", "min": 80}, {"grade": "A", "min": 50}]}, "grades.1.grade"),
    ({"grades": [{"grade": "ก", "min": "๘๐x"}]}, "grades.0.min"),
    ({"grades": [{"grade": "A", "min": 80}], "ready_grade": "甲"}, "ready_grade"),
    ({"weights": []}, "weights"),
])
def test_bad_models_are_refused_by_field(data, field):
    assert field in errors_of(data)


def test_a_refused_model_keeps_the_stored_one(org, scoring):
    response = api_client(org.admin).put("/api/v1/lead-routing/scoring-model", data={
        "criteria": [{"field": "industry", "op": "equals", "value": "x", "points": "lots"}],
        "grades": [{"grade": "A", "min": 1}, {"grade": "B", "min": 1}]},
        content_type="application/json")
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"criteria.0.points", "grades.1.min"}
    stored = api_client(org.admin).get("/api/v1/lead-routing/scoring-model").json()
    assert stored["criteria"] == CRITERIA and stored["behaviours"][0]["cap"] == 20
