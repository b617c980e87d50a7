"""The email API: send with an Idempotency-Key, read only what you may see, templates for
administrators; every answer conforms to the OpenAPI document."""

import json

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from amity.integrations.models import EmailTemplate, OutboundEmail
from tests.conftest import api_client, make_contact
from tests.integrations.conftest import WELCOME, emailable, run_queued_sends


@pytest.fixture
def check(org):
    openapi = OpenAPI.from_dict(api_client(org.admin).get("/api/v1/openapi.json").json())

    def validate(response):
        openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request),
                                  DjangoOpenAPIResponse(response))
        return response

    return validate


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def test_send_with_an_idempotency_key_sends_once(org, smtp_server, welcome, check):
    client = api_client(org.owner)
    contact = emailable(org.owner, given_name="สมชาย", language="th")
    body = {"contact": contact.pk, "template": welcome.pk}
    first = check(post(client, "/api/v1/emails/", body, **{"Idempotency-Key": "abc"}))
    assert first.status_code == 201, first.content
    again = check(post(client, "/api/v1/emails/", body, **{"Idempotency-Key": "abc"}))
    assert again.json()["id"] == first.json()["id"]
    assert first.json()["language"] == "th" and first.json()["status"] == "queued"
    run_queued_sends()
    assert len(smtp_server.received) == 1
    read = check(client.get(f"/api/v1/emails/{first.json()['id']}"))
    assert read.json()["status"] == "sent"
    assert read.json()["message_id"] == smtp_server.received[0].message["Message-ID"]


def test_without_a_key_each_request_is_a_new_message(org, welcome, check):
    client = api_client(org.owner)
    contact = emailable(org.owner)
    for _ in range(2):
        check(post(client, "/api/v1/emails/", {"contact": contact.pk, "template": welcome.pk}))
    assert OutboundEmail.objects.count() == 2


def test_refusals_name_the_field(org, welcome, check):
    client = api_client(org.owner)
    theirs = emailable(org.outsider, email="x@example.com")
    no_consent = make_contact(org.owner, email="n@example.com")
    injected = emailable(org.owner, given_name="Hi\r\nBcc: victim@example.com")
    cases = [({"contact": theirs.pk, "template": welcome.pk}, "contact"),
             ({"contact": no_consent.pk, "template": welcome.pk}, "contact"),
             ({"contact": injected.pk, "template": welcome.pk}, "subject"),
             ({"contact": injected.pk, "template": 99999}, "template"),
             ({"contact": injected.pk, "template": welcome.pk, "bcc": "x"}, "bcc")]
    for body, field in cases:
        response = check(post(client, "/api/v1/emails/", body))
        assert response.status_code == 422, (body, response.content)
        assert field in [e["field"] for e in response.json()["errors"]]
    assert not OutboundEmail.objects.exists()


def test_reads_show_only_messages_to_visible_contacts(org, welcome, check):
    from amity.integrations.mail_out import email_send

    mine = email_send(user=org.owner, contact=emailable(org.owner), template=welcome,
                      idempotency_key="a")
    theirs = email_send(user=org.outsider, contact=emailable(org.outsider, email="o@x.com"),
                        template=welcome, idempotency_key="b")
    listed = check(api_client(org.owner).get("/api/v1/emails/")).json()["results"]
    assert [m["id"] for m in listed] == [mine.pk]
    assert check(api_client(org.owner).get(f"/api/v1/emails/{theirs.pk}")).status_code == 404
    everything = check(api_client(org.admin).get("/api/v1/emails/", {"status": "queued"}))
    assert len(everything.json()["results"]) == 2
    bad = check(api_client(org.admin).get("/api/v1/emails/", {"status": "lost"}))
    assert bad.status_code == 422


def test_templates_are_made_by_administrators(org, check):
    body = {"name": "Offer", "default_language": "en", "versions": [
        {"language": "en", **WELCOME["en"]},
        {"language": "zh-Hans", "subject": "优惠", "html_body": "<p>{% for x in y %}{% endfor %}"}]}
    refused = check(post(api_client(org.owner), "/api/v1/email-templates/", body))
    assert refused.status_code == 403
    admin = api_client(org.admin)
    invalid = check(post(admin, "/api/v1/email-templates/", body))
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["field"] == "versions.zh-hans.html_body"
    assert invalid.json()["errors"][0]["message"].startswith("Line 1:")
    body["versions"][1]["html_body"] = "<p>优惠 {{ contact.given_name }}</p>"
    created = check(post(admin, "/api/v1/email-templates/", body))
    assert created.status_code == 201
    pk = created.json()["id"]
    listed = check(api_client(org.owner).get("/api/v1/email-templates/")).json()
    assert [t["name"] for t in listed] == ["Offer"]
    body["name"] = "Offer 2"
    changed = admin.put(f"/api/v1/email-templates/{pk}", json.dumps(body),
                        content_type="application/json")
    assert check(changed).json()["name"] == "Offer 2"
    assert check(admin.delete(f"/api/v1/email-templates/{pk}")).status_code == 204
    assert EmailTemplate.objects.get(pk=pk).archived
    assert check(api_client(org.owner).get("/api/v1/email-templates/")).json() == []
