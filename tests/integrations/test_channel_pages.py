"""Admin -> Webhooks, Admin -> SMS, "Send SMS" on the contact page, and the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amity.customers.services import consent_record
from amity.integrations import webhooks
from amity.integrations.models import SmsMessage, WebhookDelivery, WebhookSubscription
from amity.integrations.sms_tasks import send_sms
from amity.integrations.webhook_tasks import deliver_webhook
from tests.conftest import api_client, make_contact, signed_in
from tests.integrations.http_server import Answer


def texting(user, phone="+66812345678"):
    contact = make_contact(user, phone=phone)
    consent_record(contact=contact, user=user, channel="sms", status="granted", method="verbal")
    return contact


# --- webhook pages -------------------------------------------------------------------

@pytest.mark.parametrize("url_name", ["webhook_list", "webhook_create", "sms_list"])
def test_admin_pages_are_not_found_for_others(org, url_name):
    assert signed_in(org.manager).get(reverse(url_name)).status_code == 404
    assert signed_in(org.admin).get(reverse(url_name)).status_code == 200


def test_creating_a_webhook_shows_the_secret_once(org):
    client = signed_in(org.admin)
    page = client.post(reverse("webhook_create"), {
        "name": "ERP", "url": "https://erp.example.com/hooks", "event_kinds": "created, sms.sent",
        "is_active": "on"})
    subscription = WebhookSubscription.objects.get()
    assert page.status_code == 302
    first = client.get(page.url).content.decode()
    assert subscription.secret in first
    assert subscription.event_kinds == ["created", "sms.sent"]
    again = client.get(reverse("webhook_detail", args=[subscription.pk])).content.decode()
    assert subscription.secret not in again and subscription.secret_prefix in again
    listing = client.get(reverse("webhook_list")).content.decode()
    assert "https://erp.example.com/hooks" in listing


@pytest.mark.parametrize(("url", "message"), [
    ("javascript:alert(1)", "https://"),
    ("http://127.0.0.1:8000/", "private or reserved"),
    ("https://a:b@example.com/", "user name or password"),
])
def test_a_bad_target_is_shown_on_its_field(org, url, message):
    page = signed_in(org.admin).post(reverse("webhook_create"),
                                     {"name": "x", "url": url, "is_active": "on"})
    assert page.status_code == 422
    assert 'data-field="url"' in page.content.decode() and message in page.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_the_log_shows_attempts_and_redeliver_queues_again(org, local_server):
    subscription, _secret = webhooks.subscription_save(
        actor=org.admin, subscription=WebhookSubscription(), data={
            "name": "Local", "url": local_server.url(), "allow_private_network": True})
    local_server.answers.append(Answer(404, b"no such hook"))
    make_contact(org.owner)
    delivery = WebhookDelivery.objects.get()
    with pytest.raises(webhooks.WebhookAttemptFailed):
        deliver_webhook.call(delivery.pk)
    client = signed_in(org.admin)
    page = client.get(reverse("webhook_detail", args=[subscription.pk])).content.decode()
    assert "HTTP 404" in page and "no such hook" in page and "Retrying" in page
    listing = client.get(reverse("webhook_list")).content.decode()
    assert "Retrying" in listing
    answer = client.post(reverse("webhook_redeliver", args=[delivery.pk]),
                         headers={"HX-Request": "true"})
    assert answer.status_code == 200
    assert answer.content.decode().count('name="csrfmiddlewaretoken"') == 2  # two rows
    assert WebhookDelivery.objects.count() == 2


def test_rotate_and_delete(org):
    subscription, secret = webhooks.subscription_save(
        actor=org.admin, subscription=WebhookSubscription(),
        data={"name": "x", "url": "https://example.com/"})
    client = signed_in(org.admin)
    page = client.post(reverse("webhook_rotate_secret", args=[subscription.pk]), follow=True)
    subscription.refresh_from_db()
    assert subscription.secret != secret and subscription.secret in page.content.decode()
    assert signed_in(org.manager).post(
        reverse("webhook_delete", args=[subscription.pk])).status_code == 404
    client.post(reverse("webhook_delete", args=[subscription.pk]))
    assert not WebhookSubscription.objects.exists()


# --- webhook API ---------------------------------------------------------------------

def test_the_webhook_api_for_administrators(org):
    client = api_client(org.admin)
    created = client.post("/api/v1/webhooks", {
        "name": "ERP", "url": "https://erp.example.com/h", "event_kinds": ["sms.sent"]},
        content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith(body["secret_prefix"])
    pk = body["id"]
    shown = client.get(f"/api/v1/webhooks/{pk}").json()
    assert "secret" not in shown
    changed = client.patch(f"/api/v1/webhooks/{pk}", {"is_active": False},
                           content_type="application/json")
    assert changed.json()["is_active"] is False
    rotated = client.post(f"/api/v1/webhooks/{pk}/rotate-secret").json()["secret"]
    assert rotated != body["secret"]
    assert client.get(f"/api/v1/webhooks/{pk}/deliveries").json() == []
    assert client.delete(f"/api/v1/webhooks/{pk}").status_code == 204


def test_the_webhook_api_names_bad_fields(org):
    answer = api_client(org.admin).post("/api/v1/webhooks", {
        "name": "x", "url": "file:///etc/passwd"}, content_type="application/json")
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["url"]
    answer = api_client(org.admin).post("/api/v1/webhooks", {
        "name": "x", "url": "https://example.com", "secret": "mine"},
        content_type="application/json")
    assert answer.status_code == 422  # the secret is ours to make


def test_the_webhook_api_refuses_other_roles(org):
    client = api_client(org.manager)
    assert client.get("/api/v1/webhooks").status_code == 403
    assert client.post("/api/v1/webhooks", {"name": "x", "url": "https://example.com"},
                       content_type="application/json").status_code == 403


# --- SMS on the contact page ---------------------------------------------------------

def test_the_contact_page_offers_send_sms_and_sends(org):
    contact = texting(org.owner)
    client = signed_in(org.owner)
    page = client.get(reverse("contact_detail", args=[contact.pk])).content.decode()
    assert "Send SMS" in page
    answer = client.post(reverse("contact_sms", args=[contact.pk]),
                         {"body": "นัดพรุ่งนี้ 10 โมง", "idempotency_key": "form-1"},
                         headers={"HX-Request": "true"})
    assert answer.status_code == 200
    assert "นัดพรุ่งนี้ 10 โมง" in answer.content.decode()
    # The same form submitted twice (a double click) sends one message.
    client.post(reverse("contact_sms", args=[contact.pk]),
                {"body": "นัดพรุ่งนี้ 10 โมง", "idempotency_key": "form-1"})
    message = SmsMessage.objects.get()
    send_sms.call(message.pk)
    timeline = client.get(reverse("contact_detail", args=[contact.pk])).content.decode()
    assert "Text message sent" in timeline


def test_the_form_shows_why_a_message_cannot_be_sent(org):
    contact = make_contact(org.owner, phone="+66812345678")  # no consent
    answer = signed_in(org.owner).post(reverse("contact_sms", args=[contact.pk]),
                                       {"body": "Hi", "idempotency_key": "k"})
    assert answer.status_code == 422
    assert "no SMS consent in force" in answer.content.decode()
    answer = signed_in(org.owner).post(reverse("contact_sms", args=[contact.pk]),
                                       {"body": "a\x07", "idempotency_key": "k"})
    assert 'data-field="body"' in answer.content.decode()


def test_sms_pages_of_another_teams_contact_are_not_found(org):
    contact = texting(org.outsider)
    client = signed_in(org.owner)
    assert client.post(reverse("contact_sms", args=[contact.pk]),
                       {"body": "Hi", "idempotency_key": "k"}).status_code == 404
    assert client.post(reverse("contact_sms_count", args=[contact.pk]),
                       {"body": "Hi"}).status_code == 404


def test_the_parts_count_follows_the_text(org):
    contact = texting(org.owner)
    count = reverse("contact_sms_count", args=[contact.pk])
    client = signed_in(org.owner)
    assert "1 part(s), GSM-7" in client.post(count, {"body": "Hello"}).content.decode()
    assert "2 part(s), Unicode" in client.post(count, {"body": "ส" * 71}).content.decode()


def test_admin_sms_list_shows_the_development_outbox(org):
    contact = texting(org.owner)
    client = api_client(org.owner)
    sent = client.post("/api/v1/sms", {"contact_id": contact.pk, "body": "Dev hello"},
                       content_type="application/json").json()
    send_sms.call(sent["id"])
    page = signed_in(org.admin).get(reverse("sms_list")).content.decode()
    assert page.count("Dev hello") == 2  # the message and the recorded copy


# --- SMS API --------------------------------------------------------------------------

def test_the_sms_api_sends_once_per_key(org):
    contact = texting(org.owner)
    client = api_client(org.owner)
    first = client.post("/api/v1/sms", {"contact_id": contact.pk, "body": "Hi 👋",
                                        "idempotency_key": "api-1"},
                        content_type="application/json")
    assert first.status_code == 201
    assert first.json()["segments"] == 1 and first.json()["encoding"] == "ucs2"
    again = client.post("/api/v1/sms", {"contact_id": contact.pk, "body": "Hi 👋",
                                        "idempotency_key": "api-1"},
                        content_type="application/json")
    assert again.json()["id"] == first.json()["id"]
    assert client.get(f"/api/v1/sms/{first.json()['id']}").json()["status"] == "queued"


@pytest.mark.parametrize(("data", "field"), [
    ({"body": "Hi"}, "contact"),  # another team's contact
    ({"body": "x" * 1600}, "body"),
    ({"body": "bell\x07"}, "body"),
])
def test_the_sms_api_names_bad_fields(org, data, field):
    contact = texting(org.outsider) if field == "contact" else texting(org.owner)
    answer = api_client(org.owner).post("/api/v1/sms", {"contact_id": contact.pk, **data},
                                        content_type="application/json")
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == [field]


def test_another_teams_message_is_not_found(org):
    contact = texting(org.outsider)
    sent = api_client(org.outsider).post("/api/v1/sms", {"contact_id": contact.pk,
                                                         "body": "Hi"},
                                         content_type="application/json").json()
    assert api_client(org.owner).get(f"/api/v1/sms/{sent['id']}").status_code == 404


def test_the_delivery_log_costs_the_same_queries_for_many_deliveries(org, local_server):
    subscription, _secret = webhooks.subscription_save(
        actor=org.admin, subscription=WebhookSubscription(), data={
            "name": "Local", "url": local_server.url(), "allow_private_network": True})
    client = signed_in(org.admin)
    url = reverse("webhook_detail", args=[subscription.pk])

    def deliveries(count):
        for _i in range(count):
            make_contact(org.owner)
        for delivery in WebhookDelivery.objects.filter(attempts=0):
            deliver_webhook.call(delivery.pk)

    deliveries(1)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    deliveries(5)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.content.decode().count("HTTP 200") == 6
    assert len(many) == len(few)
