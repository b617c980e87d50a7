"""/api/v1/activities: create and log every type, change, done, agenda, filters; the gate
on every endpoint; bad input named by field; answers as the OpenAPI document promises."""

import datetime as dt
import json
import zoneinfo

import pytest
from django.utils import timezone
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from amity.activities.models import Task
from amity.activities.services import activity_create
from amity.events.models import Event
from tests.activities.helpers import make_lead
from tests.conftest import api_client, make_account, make_contact

_SPEC: dict = {}  # the document is the same for every test; parsing it is slow


@pytest.fixture
def check(org):
    if "openapi" not in _SPEC:
        _SPEC["openapi"] = OpenAPI.from_dict(
            api_client(org.admin).get("/api/v1/openapi.json").json())
    openapi = _SPEC["openapi"]

    def validate(response):
        openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request),
                                  DjangoOpenAPIResponse(response))
        return response

    return validate


def send(client, method, url, body=None, **headers):
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data, content_type="application/json", headers=headers)


def test_schedule_change_and_hold_a_meeting(org, check):
    account = make_account(org.owner)
    contact = make_contact(org.owner, account=account)
    api = api_client(org.owner)
    created = check(send(api, "post", "/api/v1/activities/", {
        "type": "meeting", "title": "รีวิวไตรมาส", "account": account.pk,
        "due_at": "2026-12-24T09:00:00+07:00", "duration_minutes": 60,
        "participants": [org.teammate.pk], "participant_contacts": [contact.pk]}))
    assert created.status_code == 201, created.content
    body = created.json()
    assert dt.datetime.fromisoformat(body["ends_at"]) == dt.datetime(2026, 12, 24, 3,
                                                                      tzinfo=dt.UTC)
    assert body["duration_minutes"] == 60
    assert body["participants"] == [org.teammate.pk]
    assert body["participant_contacts"] == [contact.pk]
    url = f"/api/v1/activities/{body['id']}"
    read = check(api.get(url))
    changed = check(send(api, "patch", url, {"outcome": "Agreed on pilot",
                                             "participants": []},
                         **{"If-Match": read["ETag"]}))
    assert changed.status_code == 200 and changed.json()["participants"] == []
    stale = check(send(api, "patch", url, {"title": "x"}, **{"If-Match": '"0"'}))
    assert stale.status_code == 412
    done = check(api.post(f"{url}/done"))
    assert done.status_code == 200 and done.json()["done_at"] is not None
    assert Event.objects.for_subject(account).filter(kind="meeting.held").count() == 1


def test_log_a_call_on_a_lead_and_filter_the_list(org, check):
    lead = make_lead(org.owner)
    api = api_client(org.owner)
    logged = check(send(api, "post", "/api/v1/activities/", {
        "type": "call", "title": "通话 📞", "lead": lead.pk, "direction": "inbound",
        "due_at": "2026-11-30T10:00:00Z", "done_at": "2026-11-30T10:20:00Z",
        "ends_at": "2026-11-30T10:20:00Z"}))
    assert logged.status_code == 201 and logged.json()["duration_minutes"] == 20
    event = Event.objects.get(kind="call.logged")
    assert event.subject == lead and event.payload["activity"] == logged.json()["id"]
    activity_create(user=org.owner, data={"title": "A task"})
    calls = check(api.get("/api/v1/activities/", {"type": "call"})).json()["results"]
    assert [row["title"] for row in calls] == ["通话 📞"]
    by_lead = api.get("/api/v1/activities/", {"lead": lead.pk}).json()["results"]
    assert len(by_lead) == 1
    bad = check(api.get("/api/v1/activities/", {"type": "fax"}))
    assert bad.status_code == 422


def test_agenda_endpoint(org, check):
    now = timezone.now()
    activity_create(user=org.owner, data={"title": "Overdue",
                                          "due_at": now - dt.timedelta(days=2)})
    activity_create(user=org.owner, data={"type": "call", "title": "Soon",
                                          "due_at": now + dt.timedelta(days=3)})
    agenda = check(api_client(org.owner).get("/api/v1/activities/agenda")).json()
    assert [a["title"] for a in agenda["overdue"]] == ["Overdue"]
    assert [a["title"] for a in agenda["next_days"]] == ["Soon"]


@pytest.mark.parametrize(("body", "field"), [
    ({"due_at": "2026-12-24T10:00:00Z", "ends_at": "2026-12-24T09:00:00Z"}, "ends_at"),
    ({"due_at": "2026-12-24T10:00:00Z", "duration_minutes": 10**12}, "duration_minutes"),
    ({"due_at": "2026-12-24T10:00:00Z", "duration_minutes": "long"}, "duration_minutes"),
    ({"due_at": "2026-12-24T10:00:00Z", "ends_at": "2026-12-24T11:00:00Z",
      "duration_minutes": 15}, "duration_minutes"),
    ({"type": "fax"}, "type"),
    ({"title": ""}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"owner": 1}, "owner"),
    ({"done_at": "2099-01-01T00:00:00Z"}, "done_at"),
    ({"participants": [10**9]}, "participants"),
])
def test_bad_input_is_named_and_nothing_is_saved(org, check, body, field):
    api = api_client(org.owner)
    response = check(send(api, "post", "/api/v1/activities/",
                          {"type": "meeting", "title": "Review", **body}))
    assert response.status_code == 422, response.content
    assert field in [error["field"].split(".")[0] for error in response.json()["errors"]]
    assert not Task.objects.exists()


def test_other_teams_ids_are_refused(org, check):
    hidden_account = make_account(org.outsider)
    hidden_contact = make_contact(org.outsider)
    api = api_client(org.owner)
    for body in ({"account": hidden_account.pk}, {"participant_contacts": [hidden_contact.pk]},
                 {"account": 10**15}):
        response = check(send(api, "post", "/api/v1/activities/",
                              {"type": "meeting", "title": "x", **body}))
        assert response.status_code == 422
    assert not Task.objects.exists()
    theirs = activity_create(user=org.outsider, data={"title": "West"})
    assert check(api.get(f"/api/v1/activities/{theirs.pk}")).status_code == 404
    assert check(api.post(f"/api/v1/tasks/{theirs.pk}/done")).status_code == 404
    assert api.get("/api/v1/activities/", {"owner": org.outsider.pk}).json()["results"] == []


def test_the_agenda_api_uses_the_users_time_zone(org):
    org.owner.time_zone = "Pacific/Kiritimati"  # UTC+14: its "today" is not UTC's
    org.owner.save()
    zone_now = timezone.now().astimezone(zoneinfo.ZoneInfo("Pacific/Kiritimati"))
    late = zone_now.replace(hour=23, minute=50)
    activity_create(user=org.owner, data={"title": "Late tonight", "due_at": late})
    agenda = api_client(org.owner).get("/api/v1/activities/agenda").json()
    assert [a["title"] for a in agenda["today"]] == ["Late tonight"]


def test_list_query_count_does_not_grow_with_rows(org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = api_client(org.owner)
    contact = make_contact(org.owner)

    def add(n: int) -> None:
        for i in range(n):
            activity_create(user=org.owner, data={
                "type": "meeting", "title": f"M{i}", "participants": [org.teammate],
                "participant_contacts": [contact]})

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v1/activities/").status_code == 200
        return len(queries)

    add(2)
    api.get("/api/v1/activities/")  # the first call also stamps the token's last use
    few = count()
    add(15)
    assert count() == few
