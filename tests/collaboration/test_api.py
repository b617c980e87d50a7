"""The notifications API: a user's own notifications only, cursor-paginated, marked read
one by one or all at once, and the settings; every answer as the OpenAPI document says."""

from amity.collaboration.models import Notification
from amity.collaboration.services import notify
from amity.core.services import record_assign
from tests.api.test_openapi_conformance import check, send  # noqa: F401  (a fixture)
from tests.conftest import api_client, make_account

URL = "/api/v1/notifications/"


def tell(user, count: int, title: str = "Follow up"):
    made = []
    for i in range(count):
        made += notify(recipients=[user], kind="automation", title=f"{title} {i}")
    return made


def test_list_is_own_newest_first_and_cursor_paginated(org):
    tell(org.owner, 5)
    tell(org.teammate, 2, "Not yours")
    client = api_client(org.owner)
    first = client.get(URL, {"page_size": 3}).json()
    assert [n["title"] for n in first["results"]] == ["Follow up 4", "Follow up 3",
                                                      "Follow up 2"]
    assert first["unread_count"] == 5
    second = client.get(URL, {"page_size": 3, "cursor": first["next_cursor"]}).json()
    assert [n["title"] for n in second["results"]] == ["Follow up 1", "Follow up 0"]
    assert second["next_cursor"] is None


def test_unread_filter_and_mark_read(org):
    made = tell(org.owner, 3)
    client = api_client(org.owner)
    read = client.post(f"{URL}{made[0].pk}/read").json()
    assert read["read_at"] is not None and read["kind_label"] == "Automation rules"
    unread = client.get(URL, {"unread": "true"}).json()
    assert [n["id"] for n in unread["results"]] == [made[2].pk, made[1].pk]
    assert client.post(f"{URL}read-all").json() == {"marked": 2}
    assert client.get(URL, {"unread": "true"}).json()["results"] == []


def test_the_link_goes_through_the_records_gate(org):
    account = make_account(org.owner, "Gated")
    record_assign(record=account, user=org.manager, owner=org.teammate)
    client = api_client(org.teammate)
    [item] = client.get(URL).json()["results"]
    assert item["link"] == account.get_absolute_url() and item["actor"] == org.manager.pk
    record_assign(record=account, user=org.manager, owner=org.outsider, team=org.west)
    [item] = client.get(URL).json()["results"]
    assert item["link"] is None and item["title"] == "manager assigned Gated to you"


def test_another_users_notification_answers_404(org):
    [theirs] = tell(org.teammate, 1)
    response = api_client(org.owner).post(f"{URL}{theirs.pk}/read")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert api_client(org.owner).post(f"{URL}999999/read").status_code == 404


def test_bad_input_names_the_field(org):
    client = api_client(org.owner)
    cursor = client.get(URL, {"cursor": "%%%"})
    assert cursor.status_code == 422 and cursor.json()["errors"][0]["field"] == "cursor"
    size = client.get(URL, {"page_size": 0})
    assert size.status_code == 422 and size.json()["errors"][0]["field"] == "page_size"


def test_settings_read_and_change(org):
    client = api_client(org.owner)
    assert client.get(f"{URL}settings").json()["channels"]["record_assigned"] == "email"
    changed = send(client, "put", f"{URL}settings",
                   {"channels": {"record_assigned": "digest"}, "digest_time": "18:15"})
    assert changed.json()["channels"]["record_assigned"] == "digest"
    assert changed.json()["digest_time"] == "18:15:00"
    unknown = send(client, "put", f"{URL}settings", {"channels": {"nope": "email"}})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "channels.nope"
    bad = send(client, "put", f"{URL}settings",
               {"channels": {"automation": "pigeon"}, "extra": 1})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"channels.automation", "extra"}


def test_signed_out_answers_401(db):
    from django.test import Client

    assert Client().get(URL).status_code == 401


def test_every_answer_conforms_to_the_openapi_document(org, check):  # noqa: F811
    [mine] = tell(org.owner, 1)
    [theirs] = tell(org.teammate, 1)
    client = api_client(org.owner)
    check(client.get(URL, {"unread": "true", "page_size": 1}))
    check(client.post(f"{URL}{mine.pk}/read"))
    check(client.post(f"{URL}read-all"))
    check(client.get(f"{URL}settings"))
    check(send(client, "put", f"{URL}settings", {"channels": {"automation": "off"}}))
    assert check(client.post(f"{URL}{theirs.pk}/read")).status_code == 404
    assert check(client.get(URL, {"cursor": "%%%"})).status_code == 422
    assert check(send(client, "put", f"{URL}settings", {"x": 1})).status_code == 422
