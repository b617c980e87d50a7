"""Calls, meetings and logged emails beside tasks: the panel on customer pages, the events
KPIs count, participants, the access gate, and the input they refuse."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from amity.activities.models import ActivityType, Task
from amity.activities.services import activity_create, activity_mark_done, activity_reopen
from amity.events.models import Event
from tests.activities.helpers import HTMX, make_lead, make_opportunity
from tests.conftest import api_client, make_account, make_contact, signed_in


def panel_add(client, record, segment, **data):
    return client.post(reverse("activity_about_add", args=[segment, record.pk]), data, **HTMX)


def test_log_a_call_from_the_account_page(org):
    account = make_account(org.owner)
    client = signed_in(org.owner)
    opened = client.get(reverse("activity_about_form", args=["accounts", account.pk]),
                        {"type": "call"}, **HTMX)
    html = opened.content.decode()
    assert opened.status_code == 200 and 'name="direction"' in html and 'name="ends_at"' not in html
    response = panel_add(client, account, "accounts", type="call", title="โทรติดตาม 📞",
                         due_at="2026-11-30T10:00", duration_minutes="15",
                         direction="outbound", outcome="Interested", logged="on")
    assert response.status_code == 200
    call = Task.objects.get(title="โทรติดตาม 📞")
    assert call.type == ActivityType.CALL and call.account == account
    assert call.done_at == call.due_at and call.ends_at - call.due_at == dt.timedelta(minutes=15)
    assert "Recently done" in response.content.decode()
    event = Event.objects.for_subject(account).get(kind="call.logged")
    assert event.payload["activity"] == call.pk and event.payload["type"] == "call"
    assert event.payload["owner"] == org.owner.pk and event.occurred_at == call.done_at


def test_schedule_a_meeting_with_colleagues_and_contacts(org):
    account = make_account(org.owner)
    contact = make_contact(org.owner, account=account)
    hidden = make_contact(org.outsider, "Hidden")
    client = signed_in(org.owner)
    form = client.get(reverse("activity_about_form", args=["accounts", account.pk]),
                      {"type": "meeting"}, **HTMX).content.decode()
    lookup = reverse("people_contacts_about", args=["accounts", account.pk])
    assert f'url="{lookup}"' in form and "Boonmee" not in form  # found as one types
    offered = client.get(lookup).content.decode()
    assert "Boonmee" in offered and "Hidden" not in offered  # the account's people first
    response = panel_add(client, account, "accounts", type="meeting", title="會議 · جلسه",
                         due_at="2026-12-24T09:00", ends_at="2026-12-24T10:30",
                         participants=[org.teammate.pk], participant_contacts=[contact.pk])
    assert response.status_code == 200
    meeting = Task.objects.get(type="meeting")
    assert meeting.duration_minutes == 90 and meeting.done_at is None
    assert list(meeting.participants.all()) == [org.teammate]
    assert list(meeting.participant_contacts.all()) == [contact]
    # A contact the user may not see cannot be invited, even by id.
    with pytest.raises(ValidationError) as refused:
        activity_create(user=org.owner, data={"type": "meeting", "title": "x",
                                              "participant_contacts": [hidden.pk]})
    assert "participant_contacts" in refused.value.message_dict
    with pytest.raises(ValidationError) as not_meeting:
        activity_create(user=org.owner, data={"type": "call", "title": "x",
                                              "participants": [org.teammate]})
    assert "participants" in not_meeting.value.message_dict


@pytest.mark.parametrize(("type_", "kind"), [("task", "task.done"), ("call", "call.logged"),
                                             ("meeting", "meeting.held"),
                                             ("email", "email.logged")])
def test_each_type_publishes_its_done_event_once(org, type_, kind):
    contact = make_contact(org.owner)
    activity = activity_create(user=org.owner, data={"type": type_, "title": "x",
                                                     "contact": contact})
    assert not Event.objects.filter(kind=kind).exists()
    activity_mark_done(task=activity, user=org.owner)
    activity_mark_done(task=activity, user=org.owner)
    activity_reopen(task=Task.objects.get(pk=activity.pk), user=org.owner)
    activity_mark_done(task=Task.objects.get(pk=activity.pk), user=org.owner)
    events = Event.objects.for_subject(contact).filter(kind=kind)
    assert events.count() == 1  # KPIs count an activity once


def test_an_activity_about_nothing_publishes_on_itself(org):
    task = activity_create(user=org.owner, data={"title": "Expenses"})
    activity_mark_done(task=task, user=org.owner)
    assert Event.objects.for_subject(task).filter(kind="task.done").exists()


@pytest.mark.parametrize("segment", ["opportunities", "leads"])
def test_activities_on_opportunities_and_leads(org, segment):
    record = make_opportunity(org.owner) if segment == "opportunities" else make_lead(org.owner)
    client = signed_in(org.owner)
    response = panel_add(client, record, segment, type="email", title="Sent the proposal",
                         due_at="2026-11-30T10:00", direction="outbound", logged="on")
    assert response.status_code == 200 and "Sent the proposal" in response.content.decode()
    email = Task.objects.get(type="email")
    assert email.about == record
    assert Event.objects.for_subject(record).filter(kind="email.logged").exists()
    hidden = make_opportunity(org.outsider, name="West deal") if segment == "opportunities" \
        else make_lead(org.outsider, "West")
    assert panel_add(client, hidden, segment, title="snoop").status_code == 404
    assert client.get(reverse("activity_about_form", args=[segment, hidden.pk]),
                      {"type": "call"}).status_code == 404
    assert client.get(reverse("activity_about_form", args=["quotes", 1])).status_code == 404


def test_another_teams_activity_is_not_found(org):
    call = activity_create(user=org.outsider, data={"type": "call", "title": "West call"})
    client = signed_in(org.owner)
    assert client.get(reverse("task_detail", args=[call.pk])).status_code == 404
    assert client.post(reverse("task_done", args=[call.pk])).status_code == 404
    api = api_client(org.owner)
    assert api.get(f"/api/v1/activities/{call.pk}").status_code == 404
    assert api.post(f"/api/v1/activities/{call.pk}/done").status_code == 404
    assert api.patch(f"/api/v1/activities/{call.pk}", {"title": "mine"},
                     content_type="application/json").status_code == 404
    assert api.delete(f"/api/v1/activities/{call.pk}").status_code == 404
    listed = api.get("/api/v1/activities/").json()["results"]
    assert call.pk not in [row["id"] for row in listed]
    call.refresh_from_db()
    assert call.done_at is None and call.title == "West call"


@pytest.mark.parametrize(("data", "field"), [
    ({"due_at": "2026-12-24T10:00", "ends_at": "2026-12-24T09:00"}, "ends_at"),
    ({"due_at": "2026-12-24T10:00", "duration_minutes": "99999999"}, "duration_minutes"),
    ({"due_at": "2026-12-24T10:00", "ends_at": "2027-02-24T10:00"}, "ends_at"),
    ({"due_at": "2026-12-24T10:00", "duration_minutes": "-5"}, "duration_minutes"),
    ({"due_at": "next tuesday"}, "due_at"),
    ({"title": "x" * 201}, "title"),
])
def test_bad_meeting_input_is_refused_by_field(org, data, field):
    account = make_account(org.owner)
    response = panel_add(signed_in(org.owner), account, "accounts",
                         **{"type": "meeting", "title": "Review", **data})
    assert response.status_code == 422
    assert f'data-field="{field}"' in response.content.decode()
    assert not Task.objects.exists()


def test_a_call_logged_in_the_future_is_refused(org):
    account = make_account(org.owner)
    later = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = panel_add(signed_in(org.owner), account, "accounts", type="call", title="x",
                         due_at=later, logged="on")
    assert response.status_code == 422 and "cannot be done in the future" in \
        response.content.decode()
    assert not Task.objects.exists()


@pytest.mark.parametrize("title", ["นัดประชุมกับลูกค้า", "جلسه با مشتری", "与客户开会",
                                   "🤝📅 meeting", "<script>alert(1)</script>",
                                   "'; DROP TABLE activities_task; --"])
def test_subjects_in_any_script_are_kept_and_escaped(org, title):
    account = make_account(org.owner)
    client = signed_in(org.owner)
    response = panel_add(client, account, "accounts", type="meeting", title=title,
                         due_at="2026-12-24T09:00", duration_minutes="30")
    assert response.status_code == 200
    assert Task.objects.get().title == title
    page = client.get(account.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page


def test_an_activity_is_about_one_record_only(org):
    account, contact = make_account(org.owner), make_contact(org.owner)
    with pytest.raises(ValidationError) as refused:
        activity_create(user=org.owner, data={"title": "x", "account": account,
                                              "contact": contact})
    assert "contact" in refused.value.message_dict
    lead = make_lead(org.owner)
    with pytest.raises(ValidationError):
        activity_create(user=org.owner, data={"title": "x", "account": account, "lead": lead})
    assert not Task.objects.exists()


def test_direction_only_for_calls_and_emails(org):
    with pytest.raises(ValidationError) as refused:
        activity_create(user=org.owner, data={"type": "meeting", "title": "x",
                                              "direction": "inbound"})
    assert "direction" in refused.value.message_dict


def test_a_read_only_user_sees_activities_but_cannot_add(org):
    account = make_account(org.owner)
    activity_create(user=org.owner, data={"title": "Visible", "account": account})
    client = signed_in(org.viewer)
    opened = client.get(reverse("activity_about_form", args=["accounts", account.pk]),
                        {"type": "call"}, **HTMX).content.decode()
    assert "Visible" in opened and "Log a call" not in opened and "<form" not in opened
    refused = panel_add(client, account, "accounts", type="call", title="x")
    assert refused.status_code == 403
    assert Task.objects.count() == 1
