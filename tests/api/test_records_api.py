"""The accounts and contacts API: create, read, change, delete, with the one error format."""

import json

import pytest

from amity.customers.models import Account
from amity.events.models import Event
from amity.integrations.models import ApiToken
from tests.conftest import api_client, make_account


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def patch(client, url, body, **headers):
    return client.patch(url, json.dumps(body), content_type="application/json", headers=headers)


def test_create_read_change_delete(org):
    client = api_client(org.manager)
    response = post(client, "/api/v1/accounts/", {"name": "上海明华科技有限公司", "country": "CN"})
    assert response.status_code == 201
    created = response.json()
    assert created["name"] == "上海明华科技有限公司"
    assert created["owner"] == org.manager.pk
    url = f"/api/v1/accounts/{created['id']}"

    read = client.get(url)
    assert read.json()["country"] == "CN"
    etag = read.headers["ETag"]

    changed = patch(client, url, {"city": "上海"}, **{"If-Match": etag})
    assert changed.status_code == 200
    assert changed.json()["city"] == "上海"
    assert changed.headers["ETag"] != etag

    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404
    assert Account.deleted_objects.filter(pk=created["id"]).exists()
    kinds = list(Event.objects.filter(subject_id=created["id"]).values_list("kind", flat=True))
    assert sorted(kinds) == ["created", "deleted", "updated"]


def test_unauthenticated_and_revoked_tokens_get_401(org):
    from django.test import Client

    response = Client().get("/api/v1/accounts/")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    client = api_client(org.owner)
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert client.get("/api/v1/accounts/").status_code == 401


def test_tokens_are_stored_hashed(org):
    client = api_client(org.owner)
    raw = client.defaults.get("HTTP_AUTHORIZATION", "") or client.headers["Authorization"]
    raw = raw.removeprefix("Bearer ")
    token = ApiToken.objects.get()
    assert raw not in (token.key_hash, token.prefix)
    assert raw.startswith(token.prefix)


@pytest.mark.parametrize("field", ["owner", "team", "created_by", "version", "id", "deleted"])
def test_unknown_and_system_fields_are_rejected(org, field):
    client = api_client(org.owner)
    response = post(client, "/api/v1/accounts/", {"name": "Sneaky", field: org.outsider.pk})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["errors"][0]["field"] == field
    assert not Account.objects.filter(name="Sneaky").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": 12}, "name"),
        ({"name": "ok", "type": "friend"}, "type"),
        ({"name": "ok", "website": "javascript:alert(1)"}, "website"),
        ({"name": "ok", "country": "THA"}, "country"),
        ({"name": "ok", "description": "ข" * 10001}, "description"),
    ],
)
def test_bad_values_name_the_field_and_store_nothing(org, body, field):
    client = api_client(org.owner)
    response = post(client, "/api/v1/accounts/", body)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert field in [e["field"] for e in errors]
    assert all(e["message"] for e in errors)
    assert Account.objects.count() == 0


def test_other_scripts_and_injection_payloads_are_stored_verbatim(org):
    client = api_client(org.owner)
    names = ["สยามเฟรช", "پارس تجارت", "明华科技", "Emoji 🚀 Ltd",
             "'; DROP TABLE customers_account;--",
             "<script>alert(1)</script>"]
    for name in names:
        assert post(client, "/api/v1/accounts/", {"name": name}).status_code == 201
    stored = set(Account.objects.values_list("name", flat=True))
    assert stored == set(names)


def test_malformed_json_is_a_clear_error(org):
    client = api_client(org.owner)
    response = client.post("/api/v1/accounts/", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.json()["code"] in ("bad_request", "validation_error")


def test_stale_if_match_answers_412_and_changes_nothing(org):
    account = make_account(org.owner, "Original")
    client = api_client(org.owner)
    url = f"/api/v1/accounts/{account.pk}"
    etag = client.get(url).headers["ETag"]
    assert patch(client, url, {"name": "First"}, **{"If-Match": etag}).status_code == 200
    stale = patch(client, url, {"name": "Second"}, **{"If-Match": etag})
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    assert Account.objects.get(pk=account.pk).name == "First"
    stale_delete = client.delete(url, headers={"If-Match": etag})
    assert stale_delete.status_code == 412
    assert Account.objects.filter(pk=account.pk).exists()


def test_read_only_role_cannot_write(org):
    account = make_account(org.owner)
    client = api_client(org.viewer)
    assert client.get(f"/api/v1/accounts/{account.pk}").status_code == 200
    response = patch(client, f"/api/v1/accounts/{account.pk}", {"name": "Nope"})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert post(client, "/api/v1/accounts/", {"name": "Nope"}).status_code == 403
    assert not Account.objects.filter(name="Nope").exists()


def test_assign_hands_the_record_to_another_owner(org):
    account = make_account(org.owner)
    client = api_client(org.manager)
    response = post(client, f"/api/v1/accounts/{account.pk}/assign", {"owner": org.outsider.pk})
    assert response.status_code == 200
    assert response.json()["owner"] == org.outsider.pk
    assert response.json()["team"] == org.west.pk
    # The East rep no longer sees it: it belongs to West now.
    assert api_client(org.owner).get(f"/api/v1/accounts/{account.pk}").status_code == 404


def test_openapi_document_describes_the_api(org):
    client = api_client(org.owner)
    doc = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/accounts/" in doc["paths"]
    params = {p["name"] for p in doc["paths"]["/api/v1/accounts/"]["get"]["parameters"]}
    assert {"q", "type", "owner", "cursor", "ordering", "page_size"} <= params
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "x" * 201}, "name"), ({"name": None}, "name"), ({"owner": 1}, "owner"),
    ({"type": "friend"}, "type"), ({"country": "THA"}, "country"),
])
def test_patch_validates_like_create_and_changes_nothing(org, body, field):
    account = make_account(org.owner, "Untouched")
    response = patch(api_client(org.owner), f"/api/v1/accounts/{account.pk}", body)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
    assert Account.objects.get(pk=account.pk).name == "Untouched"


def test_patch_changes_only_what_it_sends(org):
    account = make_account(org.owner, "Keep", city="Bangkok", country="TH")
    response = patch(api_client(org.owner), f"/api/v1/accounts/{account.pk}", {"city": "Nan"})
    assert response.json()["city"] == "Nan" and response.json()["country"] == "TH"
