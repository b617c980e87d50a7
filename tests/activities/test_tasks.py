"""Tasks: my open tasks, mark done, the Open activities panel on account and contact pages,
the task API, and the access gate on all of them."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from amity.activities.models import Task
from amity.activities.services import task_create, task_mark_done
from amity.events.models import Event
from tests.conftest import api_client, make_account, make_contact, signed_in

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_my_open_tasks_lists_mine_soonest_first(org):
    now = timezone.now()
    later = task_create(user=org.owner, data={"title": "Later", "due_at": now +
                                              dt.timedelta(days=3)})
    task_create(user=org.owner, data={"title": "Soon", "due_at": now + dt.timedelta(hours=1)})
    task_create(user=org.owner, data={"title": "Someday"})
    task_create(user=org.teammate, data={"title": "Not mine"})
    task_mark_done(task=later, user=org.owner)
    html = signed_in(org.owner).get(reverse("task_mine")).content.decode()
    assert html.index("Soon") < html.index("Someday")
    assert "Later" not in html and "Not mine" not in html


def test_mark_done_records_who_and_when(org):
    task = task_create(user=org.owner, data={"title": "Call"})
    client = signed_in(org.owner)
    response = client.post(reverse("task_done", args=[task.pk]), **HTMX)
    assert response.status_code == 200 and response.content == b""
    task.refresh_from_db()
    assert task.done_at is not None
    assert Event.objects.for_subject(task).filter(kind="updated").exists()
    again = client.post(reverse("task_done", args=[task.pk]))
    assert again.status_code == 302  # done twice is done once
    assert Event.objects.for_subject(task).filter(kind="updated").count() == 1


def test_another_teams_task_cannot_be_marked_done(org):
    task = task_create(user=org.outsider, data={"title": "West"})
    assert signed_in(org.owner).post(reverse("task_done", args=[task.pk])).status_code == 404
    assert api_client(org.owner).post(f"/api/v1/tasks/{task.pk}/done").status_code == 404
    task.refresh_from_db()
    assert task.done_at is None


@pytest.mark.parametrize("kind", ["account", "contact"])
def test_open_activities_on_the_customer_page(org, kind):
    record = make_account(org.owner) if kind == "account" else make_contact(org.owner)
    task_create(user=org.owner, data={"title": "Send the quote", kind: record})
    done = task_create(user=org.owner, data={"title": "Old call", kind: record})
    task_mark_done(task=done, user=org.owner)
    client = signed_in(org.owner)
    html = client.get(record.get_absolute_url()).content.decode()
    open_list = html.split('id="open-activities"')[1].split("Recently done")[0]
    assert "Open activities" in html and "Send the quote" in open_list
    assert "Old call" not in open_list
    url = reverse(f"{kind}_task_add", args=[record.pk])
    added = client.post(url, {"title": "ส่งใบเสนอราคา 📄", "due_at": "2026-12-24T10:30"}, **HTMX)
    assert added.status_code == 200 and "ส่งใบเสนอราคา 📄" in added.content.decode()
    task = Task.objects.get(title="ส่งใบเสนอราคา 📄")
    assert getattr(task, kind) == record and task.owner == org.owner
    bad = client.post(url, {"title": "", "due_at": "tomorrow"}, **HTMX)
    assert bad.status_code == 422 and 'data-field="title"' in bad.content.decode()
    assert 'data-field="due_at"' in bad.content.decode()


def test_a_task_cannot_be_added_to_another_teams_customer(org):
    hidden = make_account(org.outsider)
    response = signed_in(org.owner).post(reverse("account_task_add", args=[hidden.pk]),
                                         {"title": "Snoop"})
    assert response.status_code == 404
    assert not Task.objects.exists()


def test_a_task_about_both_an_account_and_a_contact_is_refused(org):
    account, contact = make_account(org.owner), make_contact(org.owner)
    client = api_client(org.owner)
    response = client.post("/api/v1/tasks/", json.dumps(
        {"title": "Both", "account": account.pk, "contact": contact.pk}),
        content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "contact"
    hidden = make_account(org.outsider)
    response = client.post("/api/v1/tasks/", json.dumps({"title": "x", "account": hidden.pk}),
                           content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "account"


def test_the_task_api(org):
    client = api_client(org.owner)
    account = make_account(org.owner)
    created = client.post("/api/v1/tasks/", json.dumps({
        "title": "تماس", "account": account.pk, "due_at": "2026-12-01T09:00:00Z",
        "remind_at": "2026-12-01T08:00:00Z"}), content_type="application/json")
    assert created.status_code == 201, created.content
    task = created.json()
    assert task["account"] == account.pk and task["done_at"] is None
    done = client.post(f"/api/v1/tasks/{task['id']}/done")
    assert done.status_code == 200 and done.json()["done_at"] is not None
    listed = client.get("/api/v1/tasks/", {"state": "done"}).json()["results"]
    assert [t["id"] for t in listed] == [task["id"]]
    late = client.post("/api/v1/tasks/", json.dumps({
        "title": "x", "due_at": "2026-12-01T09:00:00Z", "remind_at": "2026-12-02T09:00:00Z"}),
        content_type="application/json")
    assert late.status_code == 422 and late.json()["errors"][0]["field"] == "remind_at"


def test_tasks_in_the_navigation_and_list(org):
    task_create(user=org.owner, data={"title": "Listed"})
    client = signed_in(org.owner)
    assert reverse("task_mine") in client.get("/").content.decode()
    assert "Listed" in client.get(reverse("task_list")).content.decode()
