"""Webhooks out against a real local HTTP server: fan-out, signature, retries, log."""

import hashlib
import hmac
import json
import time
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_tasks_db.models import DBTaskResult

from amity.core.jobs import RETRY_POLICIES
from amity.events.services import publish
from amity.integrations import webhooks
from amity.integrations.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from amity.integrations.signatures import signature_header, signature_valid
from amity.integrations.webhook_tasks import deliver_webhook
from tests.conftest import make_contact
from tests.core.workers import lose_every_attempt
from tests.integrations.http_server import Answer


def subscribe(admin, url: str, kinds=(), **extra) -> tuple[WebhookSubscription, str]:
    return webhooks.subscription_save(actor=admin, subscription=WebhookSubscription(), data={
        "name": "CRM sync", "url": url, "event_kinds": list(kinds),
        "allow_private_network": True, **extra})


def run(delivery: WebhookDelivery) -> str:
    """One run of the task, as the worker would do it."""
    return deliver_webhook.call(delivery.pk)


def verify(secret: str, signature: str, body: bytes) -> bool:
    """What docs/webhooks.md tells receivers to do, written out independently."""
    fields = dict(part.split("=", 1) for part in signature.split(","))
    signed = fields["t"].encode() + b"." + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["v1"]) and abs(time.time() - int(fields["t"])) < 300


def test_an_event_is_posted_signed_to_each_matching_subscription(org, local_server):
    wanted, secret = subscribe(org.admin, local_server.url("/all"))
    subscribe(org.admin, local_server.url("/sms-only"), kinds=["sms.sent"])
    contact = make_contact(org.owner, "ใจดี")  # publishes "created"
    deliveries = list(WebhookDelivery.objects.all())
    assert [d.subscription for d in deliveries] == [wanted]
    assert run(deliveries[0]) == DeliveryStatus.DELIVERED
    got = local_server.received[0]
    assert got.path == "/all"
    assert verify(secret, got.headers["Amity-Signature"], got.body)
    assert got.headers["Amity-Delivery"] == str(deliveries[0].uuid)
    assert got.headers["Amity-Event"] == "created"
    body = got.json()
    assert body["kind"] == "created"
    assert body["subject"] == {"kind": "customers.contact", "id": contact.pk}
    assert body["event_id"] and body["occurred_at"]
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code == 200 and attempt.response_excerpt == "ok" and not attempt.error


def test_a_delivery_is_enqueued_in_the_events_transaction(org, local_server):
    subscribe(org.admin, local_server.url())
    make_contact(org.owner)
    delivery = WebhookDelivery.objects.get()
    queued = DBTaskResult.objects.filter(task_path=deliver_webhook.module_path)
    assert [row.args_kwargs["args"] for row in queued] == [[delivery.pk]]


def test_no_subscription_costs_no_query_per_event(org, django_assert_num_queries):
    contact = make_contact(org.owner)
    webhooks.on_event(publish(subject=contact, kind="warmup"))  # fills the memo
    with django_assert_num_queries(1):  # the event's own INSERT
        publish(subject=contact, kind="called")


def test_inactive_and_other_kind_subscriptions_get_nothing(org, local_server):
    subscribe(org.admin, local_server.url(), is_active=False)
    subscribe(org.admin, local_server.url(), kinds=["sms.delivered"])
    make_contact(org.owner)
    assert not WebhookDelivery.objects.exists()


def test_a_500_is_retried_then_delivered(org, local_server):
    subscribe(org.admin, local_server.url())
    local_server.answers.extend([Answer(500, b"database down"), Answer(200, b"thanks")])
    make_contact(org.owner)
    delivery = WebhookDelivery.objects.get()
    with pytest.raises(webhooks.WebhookAttemptFailed):
        run(delivery)  # the worker sees the failure and retries later
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING and delivery.attempts == 1
    assert run(delivery) == DeliveryStatus.DELIVERED
    log = list(delivery.attempt_log.values_list("status_code", "response_excerpt", "error"))
    assert log == [(500, "database down", "answered 500"), (200, "thanks", "")]
    # The receiver got the same delivery twice: same id and body, fresh signatures.
    first, second = local_server.received
    assert first.headers["Amity-Delivery"] == second.headers["Amity-Delivery"]
    assert first.body == second.body
    # Running the task again sends nothing more.
    assert run(delivery) == DeliveryStatus.DELIVERED
    assert len(local_server.received) == 2


def test_a_delivery_gives_up_after_the_last_attempt(org, local_server):
    subscribe(org.admin, local_server.url())
    local_server.default = Answer(503, b"")
    make_contact(org.owner)
    delivery = WebhookDelivery.objects.get()
    for _attempt in range(webhooks.MAX_ATTEMPTS - 1):
        with pytest.raises(webhooks.WebhookAttemptFailed):
            run(delivery)
    assert run(delivery) == DeliveryStatus.FAILED
    assert run(delivery) == DeliveryStatus.FAILED
    assert len(local_server.received) == webhooks.MAX_ATTEMPTS
    assert RETRY_POLICIES[deliver_webhook.module_path].max_attempts == webhooks.MAX_ATTEMPTS


def test_a_timeout_is_a_failed_attempt(org, local_server, settings):
    settings.AMITY_OUTBOUND_TIMEOUT = 0.5
    subscribe(org.admin, local_server.url())
    local_server.answers.append(Answer(200, b"late", delay=3))
    make_contact(org.owner)
    delivery = WebhookDelivery.objects.get()
    with pytest.raises(webhooks.WebhookAttemptFailed):
        run(delivery)
    attempt = delivery.attempt_log.get()
    assert attempt.status_code is None and attempt.error == "timed out after 0.5 s"


def test_a_redirect_to_the_metadata_address_is_a_failure_not_followed(org, local_server):
    subscribe(org.admin, local_server.url())
    local_server.answers.append(Answer(301, b"", {"Location": "http://169.254.169.254/"}))
    make_contact(org.owner)
    delivery = WebhookDelivery.objects.get()
    with pytest.raises(webhooks.WebhookAttemptFailed):
        run(delivery)
    attempt = delivery.attempt_log.get()
    assert attempt.status_code == 301
    assert attempt.error == "redirect to http://169.254.169.254/ not followed"
    assert len(local_server.received) == 1


def test_the_response_excerpt_is_capped(org, local_server, settings):
    settings.AMITY_OUTBOUND_MAX_RESPONSE_BYTES = 500
    subscribe(org.admin, local_server.url())
    local_server.answers.append(Answer(200, "ข".encode() * 1_000_000))
    make_contact(org.owner)
    assert run(WebhookDelivery.objects.get()) == DeliveryStatus.DELIVERED
    excerpt = WebhookAttempt.objects.get().response_excerpt
    assert len(excerpt.encode()) <= 500 + 3 and excerpt.startswith("ขขข")


def test_a_private_target_without_the_admin_flag_is_refused_and_not_retried(org, local_server):
    subscription, _secret = subscribe(org.admin, "https://hooks.example.com/x")
    # The host later points at loopback (or was saved before the check): refused when sent.
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        url=local_server.url(), allow_private_network=False)
    make_contact(org.owner)
    assert run(WebhookDelivery.objects.get()) == DeliveryStatus.FAILED
    assert "loopback" in WebhookAttempt.objects.get().error
    assert local_server.received == []


def test_saving_a_private_target_needs_the_flag(org, local_server):
    with pytest.raises(ValidationError) as exc:
        subscribe(org.admin, local_server.url(), allow_private_network=False)
    assert "private" in exc.value.message_dict["url"][0]


@pytest.mark.parametrize(("data", "field"), [
    ({"url": "javascript:alert(1)"}, "url"),
    ({"url": "file:///etc/passwd"}, "url"),
    ({"url": "https://admin:secret@example.com/"}, "url"),
    ({"name": ""}, "name"),
    ({"name": "x" * 101}, "name"),
    ({"event_kinds": ["ok", "drop table;"]}, "event_kinds"),
    ({"event_kinds": ["k"] * 101}, "event_kinds"),
])
def test_bad_subscriptions_name_the_field(org, data, field):
    with pytest.raises(ValidationError) as exc:
        webhooks.subscription_save(actor=org.admin, subscription=WebhookSubscription(),
                                   data={"name": "n", "url": "https://example.com/", **data})
    assert field in exc.value.message_dict


def test_only_administrators_manage_subscriptions(org):
    with pytest.raises(PermissionDenied):
        subscribe(org.manager, "https://example.com/")


def test_the_secret_is_generated_and_rotates(org):
    subscription, secret = subscribe(org.admin, "https://example.com/")
    assert secret.startswith("whsec_") and len(secret) > 40
    assert subscription.secret_prefix == secret[:10]
    new = webhooks.subscription_rotate_secret(actor=org.admin, subscription=subscription)
    assert new != secret and WebhookSubscription.objects.get().secret == new


def test_webhook_call_goes_through_the_same_path(org, local_server):
    contact = make_contact(org.owner)
    delivery = webhooks.webhook_call(url=local_server.url("/rule"), secret="s3cret",
                                     payload={"name": "สมชาย", "emoji": "🎉"},
                                     reason_subject=contact, allow_private=True)
    assert run(delivery) == DeliveryStatus.DELIVERED
    got = local_server.received[0]
    assert signature_valid("s3cret", got.headers["Amity-Signature"], got.body)
    body = got.json()
    assert body["payload"] == {"name": "สมชาย", "emoji": "🎉"}
    assert body["subject"] == {"kind": "customers.contact", "id": contact.pk}


def test_webhook_call_refuses_private_targets_and_bad_payloads(org, local_server):
    with pytest.raises(ValidationError) as exc:
        webhooks.webhook_call(url=local_server.url(), payload={}, secret=None)
    assert "url" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        webhooks.webhook_call(url="https://example.com/", payload={"x": "y" * 300_000},
                              secret=None)
    assert "payload" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        webhooks.webhook_call(url="https://example.com/", payload={"x": object()},
                              secret=None)
    assert "payload" in exc.value.message_dict


def test_an_unsigned_call_has_no_signature_header(org, local_server):
    delivery = webhooks.webhook_call(url=local_server.url(), payload={}, secret=None,
                                     allow_private=True)
    run(delivery)
    assert "Amity-Signature" not in local_server.received[0].headers


def test_redeliver_sends_the_same_body_under_a_new_delivery_id(org, local_server):
    subscribe(org.admin, local_server.url())
    make_contact(org.owner)
    first = WebhookDelivery.objects.get()
    run(first)
    again = webhooks.delivery_redeliver(actor=org.admin, delivery=first)
    run(again)
    one, two = local_server.received
    assert one.body == two.body
    assert one.headers["Amity-Delivery"] != two.headers["Amity-Delivery"]


def test_signatures_refuse_tampering_and_old_timestamps():
    body = json.dumps({"a": 1}).encode()
    header = signature_header("k", body)
    assert signature_valid("k", header, body)
    assert not signature_valid("k", header, body + b" ")
    assert not signature_valid("other", header, body)
    assert not signature_valid("k", signature_header("k", body, timestamp=1), body)
    assert not signature_valid("k", "garbage", body)
    assert not signature_valid("", header, body)


def test_the_verification_snippet_in_the_docs_accepts_what_we_send(org, local_server):
    docs = (Path(__file__).parents[2] / "docs" / "webhooks.md").read_text()
    snippet = docs.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(snippet, namespace)  # noqa: S102 - our own documentation
    ok = namespace["amity_signature_ok"]
    _subscription, secret = subscribe(org.admin, local_server.url())
    make_contact(org.owner, "Nguyễn")
    run(WebhookDelivery.objects.get())
    got = local_server.received[0]
    assert ok(secret, got.headers["Amity-Signature"], got.body)
    assert not ok(secret, got.headers["Amity-Signature"], got.body.replace(b"}", b" }", 1))
    assert not ok("whsec_other", got.headers["Amity-Signature"], got.body)


def test_a_delivery_whose_tries_lost_workers_used_up_is_failed_not_left_retrying(
        org, local_server):
    subscribe(org.admin, local_server.url())
    make_contact(org.owner)
    delivery = WebhookDelivery.objects.get()
    task = DBTaskResult.objects.get(task_path=deliver_webhook.module_path)
    lose_every_attempt(task, webhooks.MAX_ATTEMPTS)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert local_server.received == []
