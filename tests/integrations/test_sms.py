"""SMS: the checks before sending, sending once, the development and HTTP gateways
(against a fake provider server in this process), and delivery status callbacks."""

import json
import threading
import urllib.request

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from amity.customers.services import consent_record
from amity.events.models import Event
from amity.integrations import sms, webhooks
from amity.integrations.models import (
    RecordedSms,
    SmsMessage,
    SmsStatus,
    WebhookDelivery,
    WebhookSubscription,
)
from amity.integrations.signatures import signature_header
from amity.integrations.sms import sms_segments, sms_send, sms_status_update
from amity.integrations.sms_tasks import send_sms
from amity.integrations.webhook_tasks import deliver_webhook
from tests.conftest import make_contact
from tests.core.workers import lose_every_attempt
from tests.integrations.http_server import Answer, LocalServer

CALLBACK_SECRET = "cb-secret"


def texting(user, phone="+66812345678", consent="granted", **data):
    contact = make_contact(user, phone=phone, **data)
    if consent:
        consent_record(contact=contact, user=user, channel="sms", status=consent,
                       method="verbal")
    return contact


def kinds(contact) -> list[str]:
    return list(Event.objects.for_subject(contact).filter(kind__startswith="sms.")
                .order_by("id").values_list("kind", flat=True))


@pytest.mark.parametrize(("body", "encoding", "parts"), [
    ("Hello", "gsm7", 1),
    ("a" * 160, "gsm7", 1),
    ("a" * 161, "gsm7", 2),
    ("€" * 80, "gsm7", 1),  # an extension character counts twice
    ("€" * 81, "gsm7", 2),
    ("สวัสดีครับ", "ucs2", 1),
    ("ส" * 70, "ucs2", 1),
    ("ส" * 71, "ucs2", 2),
    ("سلام دوست من", "ucs2", 1),
    ("你好" * 35, "ucs2", 1),
    ("😀" * 35, "ucs2", 1),  # an emoji is two UTF-16 units
    ("😀" * 36, "ucs2", 2),
])
def test_segments_follow_the_alphabet(body, encoding, parts):
    assert sms_segments(body) == (encoding, parts)


def test_sending_queues_once_and_the_development_backend_records_it(org):
    contact = texting(org.owner)
    message = sms_send(user=org.owner, contact=contact, body="สวัสดีครับ", idempotency_key="k1")
    assert (message.status, message.to, message.encoding, message.segments) == \
        ("queued", "+66812345678", "ucs2", 1)
    assert sms_send(user=org.owner, contact=contact, body="สวัสดีครับ",
                    idempotency_key="k1") == message
    assert send_sms.call(message.pk) == SmsStatus.SENT
    assert send_sms.call(message.pk) == SmsStatus.SENT  # a second run sends nothing
    recorded = RecordedSms.objects.get()
    assert (recorded.to, recorded.body) == ("+66812345678", "สวัสดีครับ")
    message.refresh_from_db()
    assert message.status == "sent" and message.provider_id == recorded.provider_id
    assert kinds(contact) == ["sms.sent"]


def test_the_same_key_for_another_message_is_refused(org):
    contact = texting(org.owner)
    sms_send(user=org.owner, contact=contact, body="one", idempotency_key="k")
    with pytest.raises(ValidationError) as exc:
        sms_send(user=org.owner, contact=contact, body="two", idempotency_key="k")
    assert "idempotency_key" in exc.value.message_dict


@pytest.mark.parametrize("consent", [None, "withdrawn"])
def test_no_consent_in_force_is_refused(org, consent):
    contact = texting(org.owner, consent=consent)
    with pytest.raises(ValidationError) as exc:
        sms_send(user=org.owner, contact=contact, body="Hi", idempotency_key="k")
    assert "no SMS consent" in exc.value.message_dict["contact"][0]
    assert not SmsMessage.objects.exists()


def test_consent_withdrawn_after_queueing_stops_the_send(org):
    contact = texting(org.owner)
    message = sms_send(user=org.owner, contact=contact, body="Hi", idempotency_key="k")
    consent_record(contact=contact, user=org.owner, channel="sms", status="withdrawn",
                   method="verbal")
    assert send_sms.call(message.pk) == SmsStatus.FAILED
    assert not RecordedSms.objects.exists()
    assert "withdrawn" in SmsMessage.objects.get().error


def test_a_contact_without_a_phone_is_refused(org):
    contact = texting(org.owner, phone="")
    with pytest.raises(ValidationError) as exc:
        sms_send(user=org.owner, contact=contact, body="Hi", idempotency_key="k")
    assert "no phone number" in exc.value.message_dict["contact"][0]


def test_another_teams_contact_is_not_found(org):
    contact = texting(org.outsider)
    with pytest.raises(ValidationError) as exc:
        sms_send(user=org.owner, contact=contact.pk, body="Hi", idempotency_key="k")
    assert exc.value.message_dict["contact"] == ["There is no contact with this id."]


def test_a_contact_one_may_see_but_not_change_is_refused(org):
    contact = texting(org.owner)
    with pytest.raises(PermissionDenied):
        sms_send(user=org.viewer, contact=contact, body="Hi", idempotency_key="k")


@pytest.mark.parametrize(("body", "message"), [
    ("", "Write the message"),
    ("   \n ", "Write the message"),
    ("ring\x07bell", "U+0007"),
    ("null\x00byte", "U+0000"),
    ("esc\x1b[31m", "U+001B"),
    ("a" * 1531, "too long: 11 parts"),
    ("ส" * 671, "too long: 11 parts"),
])
def test_bad_bodies_name_the_field(org, body, message):
    contact = texting(org.owner)
    with pytest.raises(ValidationError) as exc:
        sms_send(user=org.owner, contact=contact, body=body, idempotency_key="k")
    assert message in exc.value.message_dict["body"][0]


def test_line_breaks_and_persian_joiners_are_kept(org):
    contact = texting(org.owner)
    body = "می‌خواهم\r\nسلام"
    message = sms_send(user=org.owner, contact=contact, body=body, idempotency_key="k")
    assert message.body == "می‌خواهم\nسلام"


@pytest.mark.parametrize("key", ["", " ", "x" * 101, "tab\there"])
def test_bad_idempotency_keys_are_refused(org, key):
    with pytest.raises(ValidationError) as exc:
        sms_send(user=org.owner, contact=texting(org.owner), body="Hi", idempotency_key=key)
    assert "idempotency_key" in exc.value.message_dict


# --- the HTTP provider ----------------------------------------------------------------

class FakeProvider:
    """A JSON SMS provider on 127.0.0.1: takes messages, and reports their delivery to
    Amity's callback URL when told to, signed as a provider would."""

    def __init__(self):
        self.count = 0
        self.server = LocalServer(on_request=self._answer).start()

    def _answer(self, request):
        if request.headers.get("X-Api-Key") != "key-123":
            return Answer(401, b'{"error": "bad key"}')
        self.count += 1
        return Answer(200, json.dumps({"id": f"prov-{self.count}"}).encode())

    def report(self, callback_url: str, provider_id: str, status: str) -> int:
        body = json.dumps({"id": provider_id, "status": status}).encode()
        request = urllib.request.Request(callback_url, data=body, method="POST", headers={  # noqa: S310
            "Content-Type": "application/json",
            "Amity-Signature": signature_header(CALLBACK_SECRET, body)})
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - local
            return answer.status


@pytest.fixture
def provider(settings):
    fake = FakeProvider()
    settings.AMITY_SMS_BACKEND = "http"
    settings.AMITY_SMS_HTTP_URL = fake.server.url("/messages")
    settings.AMITY_SMS_HTTP_API_KEY = "key-123"
    settings.AMITY_SMS_HTTP_ALLOW_PRIVATE = True
    settings.AMITY_SMS_SENDER_ID = "AmityTest"
    settings.AMITY_SMS_CALLBACK_SECRET = CALLBACK_SECRET
    yield fake
    fake.server.stop()


def test_the_http_provider_sends_and_calls_back(org, provider, live_server):
    contact = texting(org.owner)
    message = sms_send(user=org.owner, contact=contact, body="Your order shipped 📦",
                       idempotency_key="order-1")
    assert send_sms.call(message.pk) == SmsStatus.SENT
    sent = provider.server.received[0].json()
    assert sent == {"from": "AmityTest", "to": "+66812345678", "text": "Your order shipped 📦",
                    "reference": f"amity-sms-{message.pk}"}
    message.refresh_from_db()
    assert (message.status, message.provider_id, message.backend) == ("sent", "prov-1", "http")
    # The provider reports the delivery over real HTTP, from another thread.
    url = live_server.url + reverse("sms_status_callback")
    answers = []
    reporter = threading.Thread(target=lambda: answers.append(
        provider.report(url, "prov-1", "delivered")))
    reporter.start()
    reporter.join(timeout=20)
    assert answers == [200]
    message.refresh_from_db()
    assert message.status == "delivered"
    assert kinds(contact) == ["sms.sent", "sms.delivered"]


def test_a_provider_outage_is_retried_then_sent(org, provider):
    provider.server.answers.extend([Answer(503, b"busy")])
    provider.server.on_request = lambda request: provider.server.answers.popleft() \
        if provider.server.answers else provider._answer(request)
    message = sms_send(user=org.owner, contact=texting(org.owner), body="Hi",
                       idempotency_key="k")
    with pytest.raises(sms.SmsAttemptFailed):
        send_sms.call(message.pk)
    message.refresh_from_db()
    assert message.status == "queued" and "503" in message.error
    assert send_sms.call(message.pk) == SmsStatus.SENT
    assert len(provider.server.received) == 2


def test_a_provider_refusal_is_final(org, provider, settings):
    settings.AMITY_SMS_HTTP_API_KEY = "wrong"
    contact = texting(org.owner)
    message = sms_send(user=org.owner, contact=contact, body="Hi", idempotency_key="k")
    assert send_sms.call(message.pk) == SmsStatus.FAILED
    assert "401" in SmsMessage.objects.get().error
    assert kinds(contact) == ["sms.failed"]


def test_a_provider_on_a_private_address_needs_the_operators_setting(org, provider, settings):
    settings.AMITY_SMS_HTTP_ALLOW_PRIVATE = False
    message = sms_send(user=org.owner, contact=texting(org.owner), body="Hi",
                       idempotency_key="k")
    assert send_sms.call(message.pk) == SmsStatus.FAILED
    assert "loopback" in SmsMessage.objects.get().error
    assert provider.server.received == []


# --- delivery status callbacks ---------------------------------------------------------

def callback(body, *, secret=CALLBACK_SECRET, signature=None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    header = signature if signature is not None else signature_header(secret, raw)
    return Client().post(reverse("sms_status_callback"), raw, content_type="application/json",
                         headers={"Amity-Signature": header})


@pytest.fixture
def sent_message(org, settings):
    settings.AMITY_SMS_CALLBACK_SECRET = CALLBACK_SECRET
    message = sms_send(user=org.owner, contact=texting(org.owner), body="Hi",
                       idempotency_key="k")
    send_sms.call(message.pk)
    message.refresh_from_db()
    return message


def test_a_callback_updates_the_status_and_a_late_one_changes_nothing(sent_message):
    answer = callback({"id": sent_message.provider_id, "status": "delivered"})
    assert answer.status_code == 200 and answer.json()["status"] == "delivered"
    assert callback({"id": sent_message.provider_id, "status": "sent"}).json()["status"] \
        == "delivered"
    assert callback({"id": sent_message.provider_id, "status": "delivered"}).status_code == 200
    assert kinds(sent_message.contact) == ["sms.sent", "sms.delivered"]


def test_an_undeliverable_report_keeps_the_providers_reason(sent_message):
    callback({"id": sent_message.provider_id, "status": "undeliverable",
              "error": "number not in service"})
    sent_message.refresh_from_db()
    assert (sent_message.status, sent_message.error) == ("undeliverable",
                                                         "number not in service")


def test_a_callback_with_a_bad_signature_is_refused(sent_message):
    body = {"id": sent_message.provider_id, "status": "delivered"}
    for answer in (callback(body, secret="guess"), callback(body, signature=""),
                   callback(body, signature="t=1,v1=00")):
        assert answer.status_code == 401
        assert answer.json()["code"] == "unauthorized"
    sent_message.refresh_from_db()
    assert sent_message.status == "sent"


def test_callbacks_are_refused_while_no_secret_is_configured(sent_message, settings):
    settings.AMITY_SMS_CALLBACK_SECRET = ""
    answer = callback({"id": sent_message.provider_id, "status": "delivered"}, secret="")
    assert answer.status_code == 401


@pytest.mark.parametrize(("body", "status", "field"), [
    (b"{not json", 400, None),
    ({"id": "prov-unknown", "status": "delivered"}, 404, None),
    ({"id": "", "status": "delivered"}, 404, None),
    ({"status": "delivered"}, 422, "id"),
    ({"id": ["x"], "status": "delivered"}, 422, "id"),
    (["a list"], 422, "id"),
    ({"id": "x", "status": "read-by-cat"}, 422, "status"),
])
def test_bad_callbacks_get_clear_errors(sent_message, body, status, field):
    if isinstance(body, dict) and body.get("status") == "read-by-cat":
        body["id"] = sent_message.provider_id
    answer = callback(body)
    assert answer.status_code == status
    if field:
        assert [e["field"] for e in answer.json()["errors"]] == [field]


def test_a_huge_callback_is_refused(sent_message):
    assert callback(b"x" * 20_000).status_code == 413


def test_status_update_on_an_unknown_id_raises(db):
    with pytest.raises(SmsMessage.DoesNotExist):
        sms_status_update(provider_id="nope", status="delivered")


def test_the_send_task_is_queued_with_the_message_and_not_without_it(org):
    contact = texting(org.owner)
    queued = DBTaskResult.objects.filter(task_path=send_sms.module_path)
    message = sms_send(user=org.owner, contact=contact, body="Hi", idempotency_key="k1")
    assert [row.args_kwargs["args"] for row in queued] == [[message.pk]]
    with pytest.raises(RuntimeError), transaction.atomic():
        sms_send(user=org.owner, contact=contact, body="Hi", idempotency_key="k2")
        raise RuntimeError("the change that caused it is rolled back")
    assert queued.count() == 1 and SmsMessage.objects.count() == 1


def test_the_system_may_send_for_automation_but_consent_still_applies(org):
    contact = texting(org.owner)
    message = sms_send(user=None, contact=contact.pk, body="Reminder", idempotency_key="rule-1")
    assert message.created_by is None and message.status == "queued"
    silent = texting(org.owner, phone="+66812345679", consent="withdrawn")
    with pytest.raises(ValidationError) as exc:
        sms_send(user=None, contact=silent, body="Reminder", idempotency_key="rule-2")
    assert "contact" in exc.value.message_dict


def test_a_sent_message_reaches_webhooks_subscribed_to_sms_sent(org, local_server):
    webhooks.subscription_save(actor=org.admin, subscription=WebhookSubscription(), data={
        "name": "n", "url": local_server.url(), "event_kinds": ["sms.sent"],
        "allow_private_network": True})
    contact = texting(org.owner)
    message = sms_send(user=org.owner, contact=contact, body="ยืนยันนัด", idempotency_key="k")
    assert not WebhookDelivery.objects.exists()
    send_sms.call(message.pk)
    deliver_webhook.call(WebhookDelivery.objects.get().pk)
    body = local_server.received[0].json()
    assert body["kind"] == "sms.sent"
    assert body["subject"] == {"kind": "customers.contact", "id": contact.pk}
    assert body["payload"]["message_id"] == message.pk
    assert body["payload"]["summary"] == "ยืนยันนัด"


def test_a_message_whose_tries_lost_workers_used_up_is_failed_not_left_queued(org):
    contact = texting(org.owner)
    message = sms_send(user=org.owner, contact=contact, body="สวัสดี 你好", idempotency_key="k")
    task = DBTaskResult.objects.get(task_path=send_sms.module_path)
    lose_every_attempt(task, sms.MAX_ATTEMPTS)
    message.refresh_from_db()
    assert message.status == SmsStatus.FAILED and "tries ran out" in message.error
    assert kinds(contact) == ["sms.failed"]
