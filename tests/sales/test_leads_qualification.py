"""The qualification flow: new → working → qualified / disqualified (with a reason),
reopened to working, converted final; the checklist gates qualifying."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from amity.events.models import Event
from amity.sales.lead_services import lead_check, lead_set_status
from tests.conftest import api_client, signed_in
from tests.sales.lead_fixtures import checklist, make_lead

pytestmark = pytest.mark.django_db


def refusal(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def test_the_flow_moves_and_each_move_is_an_event_that_touches_the_lead(org):
    lead = make_lead(org.owner)
    assert lead.touched_at is None
    lead = lead_set_status(lead=lead, user=org.owner, status="working")
    first_touch = lead.touched_at
    assert lead.status == "working" and first_touch is not None
    lead = lead_set_status(lead=lead, user=org.teammate, status="qualified")
    assert lead.status == "qualified" and lead.touched_at >= first_touch
    events = Event.objects.for_subject(lead).filter(kind="lead.status_changed")
    assert [(e.payload["old_status"], e.payload["status"]) for e in events.order_by("id")] == \
        [("new", "working"), ("working", "qualified")]
    assert events.order_by("id").last().actor == org.teammate


def test_an_invalid_move_is_refused_naming_the_statuses(org):
    lead = make_lead(org.owner)
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        lead_set_status(lead=lead, user=org.owner, status="qualified")
    assert "“New” to “Qualified”" in refusal(excinfo)
    assert "Working, Disqualified" in refusal(excinfo)
    with pytest.raises(ValidationError):
        lead_set_status(lead=lead, user=org.owner, status="converted")
    with pytest.raises(ValidationError):
        lead_set_status(lead=lead, user=org.owner, status="won")
    lead.refresh_from_db()
    assert lead.status == "new"
    assert not Event.objects.for_subject(lead).filter(kind="lead.status_changed").exists()


def test_disqualifying_needs_a_reason_and_a_disqualified_lead_can_be_reopened(org):
    lead = make_lead(org.owner)
    with pytest.raises(ValidationError) as excinfo:
        lead_set_status(lead=lead, user=org.owner, status="disqualified", reason="  ")
    assert "disqualified_reason" in excinfo.value.message_dict
    lead = lead_set_status(lead=lead, user=org.owner, status="disqualified",
                           reason="ไม่มีงบประมาณ")
    assert lead.disqualified_reason == "ไม่มีงบประมาณ"
    with pytest.raises(ValidationError):
        lead_set_status(lead=lead, user=org.owner, status="qualified")
    lead = lead_set_status(lead=lead, user=org.owner, status="working")
    assert lead.status == "working" and lead.disqualified_reason == ""


def test_qualifying_needs_every_required_checklist_item(org):
    checklist("Budget", "Authority", "Need", "Timeline", optional=("Champion",))
    lead = make_lead(org.owner)
    lead_set_status(lead=lead, user=org.owner, status="working")
    lead = lead_check(lead=lead, user=org.owner, key="budget", checked=True)
    lead = lead_check(lead=lead, user=org.owner, key="need", checked=True)
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        lead_set_status(lead=lead, user=org.owner, status="qualified")
    assert "Authority, Timeline" in refusal(excinfo)
    assert "Champion" not in refusal(excinfo)
    for key in ("authority", "timeline"):
        lead = lead_check(lead=lead, user=org.owner, key=key, checked=True)
    lead = lead_set_status(lead=lead, user=org.owner, status="qualified")
    assert lead.status == "qualified"
    ticks = Event.objects.for_subject(lead).filter(kind="lead.checklist_changed")
    assert ticks.count() == 4 and lead.touched_at is not None


def test_an_unknown_checklist_item_is_refused(org):
    lead = make_lead(org.owner)
    with pytest.raises(ValidationError) as excinfo:
        lead_check(lead=lead, user=org.owner, key="<b>budget</b>", checked=True)
    assert "key" in excinfo.value.message_dict
    assert make_lead(org.owner).checklist == {}


def test_the_record_page_ticks_items_and_moves_status_in_place(org):
    checklist("Budget")
    lead = make_lead(org.owner)
    client = signed_in(org.owner, headers={"HX-Request": "true"})
    page = client.get(lead.get_absolute_url()).content.decode()
    assert "Budget" in page and "To qualify, tick:" in page
    moved = client.post(reverse("lead_status", args=[lead.pk]), {"status": "working"})
    assert moved.status_code == 200 and "Working" in moved.content.decode()
    assert moved["HX-Trigger"] == "record-changed"
    refused = client.post(reverse("lead_status", args=[lead.pk]), {"status": "qualified"})
    assert refused.status_code == 422 and "Budget" in refused.content.decode()
    ticked = client.post(reverse("lead_checklist", args=[lead.pk, "budget"]), {"checked": "1"})
    assert ticked.status_code == 200 and "☑" in ticked.content.decode()
    done = client.post(reverse("lead_status", args=[lead.pk]), {"status": "qualified"})
    assert done.status_code == 200
    assert reverse("lead_convert", args=[lead.pk]) in done.content.decode()
    no_reason = client.post(reverse("lead_status", args=[lead.pk]),
                            {"status": "disqualified", "disqualified_reason": ""})
    assert no_reason.status_code == 422
    assert "reason" in no_reason.content.decode()


def test_a_viewer_sees_the_checklist_but_cannot_change_it(org):
    checklist("Budget")
    lead = make_lead(org.owner)
    client = signed_in(org.viewer)
    page = client.get(lead.get_absolute_url()).content.decode()
    assert "Budget" in page and reverse("lead_status", args=[lead.pk]) not in page
    assert client.post(reverse("lead_status", args=[lead.pk]),
                       {"status": "working"}).status_code == 404


def test_the_api_moves_status_and_ticks_items(org):
    checklist("Budget")
    lead = make_lead(org.owner)
    client = api_client(org.owner)
    url = f"/api/v1/leads/{lead.pk}"
    assert client.post(f"{url}/status", {"status": "working"},
                       content_type="application/json").json()["status"] == "working"
    state = client.get(f"{url}/qualification").json()
    assert state["missing"] == ["budget"] and "qualified" in state["moves"]
    refused = client.post(f"{url}/status", {"status": "qualified"},
                          content_type="application/json")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "status"
    assert client.post(f"{url}/status", {"status": "nonsense"},
                       content_type="application/json").status_code == 422
    ticked = client.post(f"{url}/checklist", {"item": "budget", "checked": True},
                         content_type="application/json")
    assert ticked.json()["checklist"] == {"budget": True}
    assert client.post(f"{url}/status", {"status": "qualified"},
                       content_type="application/json").json()["status"] == "qualified"


def test_an_administrator_sets_up_the_checklist(org):
    client = signed_in(org.admin)
    response = client.post(reverse("lead_checklist_items"), {
        "key": "budget", "label": "งบประมาณ", "required": "on", "position": "1"})
    assert response.status_code == 302
    assert client.post(reverse("lead_checklist_items"), {
        "key": "budget", "label": "Again", "position": "2"}).status_code == 422
    assert client.post(reverse("lead_checklist_items"), {
        "key": "not a key!", "label": "x", "position": "2"}).status_code == 422
    assert "งบประมาณ" in client.get(reverse("lead_checklist_items")).content.decode()
    assert signed_in(org.owner).get(reverse("lead_checklist_items")).status_code == 404


def test_a_rule_on_leads_runs_when_a_lead_is_qualified(org):
    from tests.automation.helpers import make_rule, run_queued

    make_rule(org.admin, kind="sales.lead", event="lead.status_changed",
              conditions=[{"type": "field", "field": "status", "op": "equals",
                           "value": "qualified"}],
              actions=[{"type": "set_field", "field": "grade", "value": "A"}])
    lead = make_lead(org.owner)
    lead_set_status(lead=lead, user=org.owner, status="working")
    run_queued()
    lead.refresh_from_db()
    assert lead.grade == ""
    lead_set_status(lead=lead, user=org.owner, status="qualified")
    run_queued()
    lead.refresh_from_db()
    assert lead.grade == "A"


def test_the_timeline_reads_each_move_in_the_readers_language(org):
    lead = make_lead(org.owner)
    lead_set_status(lead=lead, user=org.owner, status="disqualified", reason="No budget")
    client = signed_in(org.owner)
    page = client.get(lead.get_absolute_url()).content.decode()
    assert "New → Disqualified: No budget" in page
