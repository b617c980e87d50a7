"""Lead records: normalised like contacts, listed and filtered, shown with their timeline,
created and changed through the gated services, by the pages and the API alike."""

import pytest
from django.urls import reverse

from amity.automation.kinds import watched_kind
from amity.events.models import Event
from amity.sales.models import Lead
from tests.conftest import api_client, signed_in
from tests.sales.lead_fixtures import make_lead

pytestmark = pytest.mark.django_db


def test_a_lead_keeps_its_email_and_phone_normalised_like_a_contact(org):
    lead = make_lead(org.owner, email="Somchai@Example.COM", phone="081 234 5678",
                     country="th")
    assert lead.email == "somchai@example.com"
    assert lead.phone_e164 == "+66812345678"
    assert lead.country == "TH"


def test_a_bad_email_or_phone_is_refused_naming_the_field(org):
    response = api_client(org.owner).post(
        "/api/v1/leads/", {"family_name": "Jaidee", "email": "not an email",
                           "phone": "12"}, content_type="application/json")
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"email", "phone"} <= fields
    assert not Lead.objects.exists()


def test_the_list_filters_by_status_source_owner_and_score(org):
    make_lead(org.owner, "Hot", source="Website", score=80)
    make_lead(org.owner, "Cold", source="Fair", score=5)
    make_lead(org.teammate, "Mate", source="Website", score=50)
    client = signed_in(org.owner)
    page = client.get(reverse("lead_list"), {"source": "website", "score_min": "60"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Hot" in body and "Cold" not in body and "Mate" not in body
    page = client.get(reverse("lead_list"), {"owner": org.teammate.pk})
    assert "Mate" in page.content.decode() and "Hot" not in page.content.decode()
    page = client.get(reverse("lead_list"), {"status": "new", "q": "col"})
    assert "Cold" in page.content.decode() and "Hot" not in page.content.decode()


def test_the_api_list_takes_the_same_filters(org):
    make_lead(org.owner, "Hot", source="Website", score=80)
    make_lead(org.owner, "Cold", source="Fair", score=5)
    client = api_client(org.owner)
    names = [r["family_name"] for r in client.get("/api/v1/leads/",
                                                  {"score_max": "10"}).json()["results"]]
    assert names == ["Cold"]
    bad = client.get("/api/v1/leads/", {"score_min": "lots"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "score_min"


def test_another_teams_lead_is_not_found_in_the_pages_or_the_api(org):
    lead = make_lead(org.outsider, "Secret")
    client = signed_in(org.owner)
    for name in ("lead_detail", "lead_edit", "lead_delete", "lead_timeline", "lead_convert"):
        assert client.get(reverse(name, args=[lead.pk])).status_code == 404, name
    assert client.post(reverse("lead_status", args=[lead.pk]),
                       {"status": "working"}).status_code == 404
    assert client.post(reverse("lead_checklist", args=[lead.pk, "budget"]),
                       {"checked": "1"}).status_code == 404
    api = api_client(org.owner)
    assert api.get(f"/api/v1/leads/{lead.pk}").status_code == 404
    assert api.patch(f"/api/v1/leads/{lead.pk}", {"company": "x"},
                     content_type="application/json").status_code == 404
    for action, body in (("status", {"status": "working"}),
                         ("checklist", {"item": "budget", "checked": True}),
                         ("convert", {})):
        assert api.post(f"/api/v1/leads/{lead.pk}/{action}", body,
                        content_type="application/json").status_code == 404, action
    assert api.delete(f"/api/v1/leads/{lead.pk}").status_code == 404
    assert "Secret" not in str(api.get("/api/v1/leads/").json())
    lead.refresh_from_db()
    assert lead.status == "new" and lead.company == ""


def test_create_edit_and_delete_from_the_pages(org):
    client = signed_in(org.owner)
    response = client.post(reverse("lead_create"), {
        "given_name": "สมชาย", "family_name": "ใจดี", "company": "ร้านอาหาร",
        "email": "somchai@example.com", "source": "Referral"})
    lead = Lead.objects.get()
    assert response.status_code == 302 and response.url == lead.get_absolute_url()
    page = client.get(lead.get_absolute_url())
    body = page.content.decode()
    assert "ร้านอาหาร" in body and "Qualification" in body and "Timeline" in body
    edit = client.post(reverse("lead_edit", args=[lead.pk]), {
        "family_name": "ใจดี", "company": "ร้านอาหารใหม่", "version": lead.version})
    assert edit.status_code == 200
    lead.refresh_from_db()
    assert lead.company == "ร้านอาหารใหม่"
    kinds = list(Event.objects.for_subject(lead).values_list("kind", flat=True))
    assert "created" in kinds and "updated" in kinds
    # A rep may not delete (sales reps create and change); a manager may.
    assert client.post(reverse("lead_delete", args=[lead.pk])).status_code == 404
    manager = signed_in(org.manager)
    assert manager.post(reverse("lead_delete", args=[lead.pk])).status_code == 302
    assert not Lead.objects.filter(pk=lead.pk).exists()


@pytest.mark.parametrize("name", ["王小明", "محمد رضایی", "สมชาย ใจดี", "Zoë 🚀",
                                  "<script>alert(1)</script>", "'; DROP TABLE sales_lead;--"])
def test_names_in_any_script_or_injection_attempts_are_stored_and_shown_as_text(org, name):
    client = api_client(org.owner)
    response = client.post("/api/v1/leads/", {"family_name": name, "company": name,
                                              "description": name * 10},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    lead = Lead.objects.get()
    assert lead.family_name == name
    page = signed_in(org.owner).get(lead.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page


def test_wrong_types_and_huge_values_are_refused_field_by_field(org):
    client = api_client(org.owner)
    for body, field in (({"family_name": "x" * 101}, "family_name"),
                        ({"family_name": "A", "employees": "many"}, "employees"),
                        ({"family_name": "A", "employees": 10**12}, "employees"),
                        ({"family_name": "A", "status": "converted"}, "status"),
                        ({"family_name": "A", "score": 10**9}, "score"),
                        ({"family_name": 5}, "family_name"),
                        ({"family_name": "A", "country": "Thailand"}, "country")):
        response = client.post("/api/v1/leads/", body, content_type="application/json")
        assert response.status_code == 422, body
        assert any(field in e["field"] for e in response.json()["errors"]), response.json()
    assert not Lead.objects.exists()


def test_api_crud_round_trip(org):
    client = api_client(org.owner)
    created = client.post("/api/v1/leads/", {"family_name": "Chen", "given_name": "Wei",
                                             "company": "上海贸易", "employees": 40},
                          content_type="application/json")
    assert created.status_code == 201
    data = created.json()
    assert data["status"] == "new" and data["display_name"] == "Wei Chen (上海贸易)"
    pk = data["id"]
    changed = client.patch(f"/api/v1/leads/{pk}", {"industry": "Retail"},
                           content_type="application/json", headers={"If-Match": '"1"'})
    assert changed.status_code == 200 and changed.json()["industry"] == "Retail"
    # A teammate sees it (team scope); the rep's role does not allow deleting.
    assert api_client(org.teammate).get(f"/api/v1/leads/{pk}").status_code == 200
    assert client.delete(f"/api/v1/leads/{pk}").status_code == 403
    assert api_client(org.manager).delete(f"/api/v1/leads/{pk}").status_code == 204


def test_leads_are_in_the_sales_menu_and_rules_can_watch_them(org):
    page = signed_in(org.owner).get(reverse("area", args=["sales"])).content.decode()
    assert reverse("lead_list") in page
    assert watched_kind("sales.lead").model is Lead


def test_the_list_costs_the_same_queries_for_three_leads_or_thirty(org,
                                                                   django_assert_max_num_queries):
    client, api = signed_in(org.owner), api_client(org.owner)
    for n in range(3):
        make_lead(org.owner, f"Lead {n}")
    with django_assert_max_num_queries(100) as few:
        client.get(reverse("lead_list"))
    with django_assert_max_num_queries(100) as few_api:
        api.get("/api/v1/leads/")
    for n in range(27):
        make_lead(org.teammate, f"More {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "More 26" in client.get(reverse("lead_list")).content.decode()
    with django_assert_max_num_queries(len(few_api.captured_queries)):
        assert len(api.get("/api/v1/leads/").json()["results"]) == 30


def test_the_record_page_shows_the_leads_events_on_its_timeline(org):
    from amity.sales.lead_services import lead_set_status

    lead = make_lead(org.owner)
    lead_set_status(lead=lead, user=org.owner, status="working")
    page = signed_in(org.owner).get(lead.get_absolute_url()).content.decode()
    assert "Lead status changed" in page and "Created" in page


def test_creating_a_lead_that_exists_warns_before_saving(org):
    make_lead(org.teammate, "Jaidee", email="somchai@example.com")
    make_lead(org.outsider, "Hidden", email="hidden@example.com")
    client = signed_in(org.owner)
    warned = client.post(reverse("lead_create"), {"family_name": "Other",
                                                  "email": "SOMCHAI@example.com"})
    assert warned.status_code == 200 and "already exists" in warned.content.decode()
    assert Lead.objects.count() == 2
    # Another team's lead is not revealed, and "create anyway" saves.
    assert client.post(reverse("lead_create"), {"family_name": "New",
                                                "email": "hidden@example.com"}
                       ).status_code == 302
    assert client.post(reverse("lead_create"), {"family_name": "Other",
                                                "email": "somchai@example.com",
                                                "create_anyway": "1"}).status_code == 302
    assert Lead.objects.count() == 4


def test_a_manager_exports_the_filtered_leads_and_a_rep_may_not(org):
    make_lead(org.owner, "ใจดี", source="Website")
    make_lead(org.owner, "Other", source="Fair")
    response = signed_in(org.manager).get(reverse("lead_export", args=["csv"]),
                                          {"source": "website"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "ใจดี" in body and "Other" not in body
    assert signed_in(org.owner).get(reverse("lead_export", args=["csv"])).status_code == 403


def test_the_record_page_offers_to_log_calls_and_meetings_about_the_lead(org):
    lead = make_lead(org.owner)
    client = signed_in(org.owner)
    page = client.get(lead.get_absolute_url()).content.decode()
    assert "Log a call" in page
    form = client.get(reverse("activity_about_form", args=["leads", lead.pk]), {"type": "call"})
    assert form.status_code == 200
    outsider = signed_in(org.outsider)
    assert outsider.get(reverse("activity_about_form", args=["leads", lead.pk])).status_code == 404


def test_the_record_page_loads_the_score_explanation(org):
    lead = make_lead(org.owner)
    page = signed_in(org.owner).get(lead.get_absolute_url()).content.decode()
    assert reverse("lead_score_panel", args=[lead.pk]) in page
