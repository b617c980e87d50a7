"""Idempotency-Key replays, and CSRF protection for session-authenticated API calls."""

import json

from django.test import Client

from amity.customers.models import Account
from tests.conftest import api_client, signed_in


def test_same_key_and_body_replays_without_a_second_row(org):
    client = api_client(org.owner)
    body = json.dumps({"name": "Once Only"})
    first = client.post("/api/v1/accounts/", body, content_type="application/json",
                        headers={"Idempotency-Key": "k-1"})
    second = client.post("/api/v1/accounts/", body, content_type="application/json",
                         headers={"Idempotency-Key": "k-1"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert Account.objects.filter(name="Once Only").count() == 1


def test_same_key_with_another_body_is_refused(org):
    client = api_client(org.owner)
    client.post("/api/v1/accounts/", json.dumps({"name": "A"}), content_type="application/json",
                headers={"Idempotency-Key": "k-2"})
    response = client.post("/api/v1/accounts/", json.dumps({"name": "B"}),
                           content_type="application/json", headers={"Idempotency-Key": "k-2"})
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert not Account.objects.filter(name="B").exists()


def test_keys_are_per_user(org):
    body = json.dumps({"name": "Shared key"})
    for user in (org.owner, org.outsider):
        response = api_client(user).post("/api/v1/accounts/", body,
                                         content_type="application/json",
                                         headers={"Idempotency-Key": "same"})
        assert response.status_code == 201
    assert Account.objects.filter(name="Shared key").count() == 2


def test_failed_request_is_replayed_as_failed(org):
    client = api_client(org.owner)
    for _ in range(2):
        response = client.post("/api/v1/accounts/", json.dumps({"name": ""}),
                               content_type="application/json", headers={"Idempotency-Key": "k-3"})
        assert response.status_code == 422
    assert Account.objects.count() == 0


def test_session_post_without_csrf_token_is_refused(org):
    client = signed_in(org.owner, enforce_csrf_checks=True)
    response = client.post("/api/v1/accounts/", json.dumps({"name": "Cross-site"}),
                           content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not Account.objects.filter(name="Cross-site").exists()


def test_session_post_with_csrf_token_is_accepted(org):
    client = signed_in(org.owner, enforce_csrf_checks=True)
    client.get("/")  # sets the csrftoken cookie, as the UI page load does
    token = client.cookies["csrftoken"].value
    response = client.post("/api/v1/accounts/", json.dumps({"name": "Same-site"}),
                           content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 201


def test_session_read_works_without_token(org):
    client = signed_in(org.owner, enforce_csrf_checks=True)
    assert client.get("/api/v1/org/me").json()["username"] == "owner"
    assert Client().get("/api/v1/org/me").status_code == 401


def test_large_upload_with_a_key_is_replayed_not_refused(org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from amity.customers.import_jobs import ImportJob

    client = api_client(org.manager)
    body = b"First Name,Last Name,E-mail 1 - Value\n" + b"Ann,Lee,ann@example.com\n" * 130_000
    assert len(body) > 3_000_000  # above Django's in-memory body limit
    responses = [
        client.post("/api/v1/imports/", {"file": SimpleUploadedFile("people.csv", body)},
                    headers={"Idempotency-Key": "upload-1"})
        for _ in range(2)
    ]
    assert [r.status_code for r in responses] == [201, 201]
    assert responses[1].headers["Idempotent-Replayed"] == "true"
    assert ImportJob.objects.count() == 1
