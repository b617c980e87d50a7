"""Sending templated email to contacts through a real SMTP server."""

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django_tasks_db.models import DBTaskResult

from amity.customers.models import Contact
from amity.customers.services import consent_record
from amity.events.models import Event
from amity.integrations.mail_out import email_send, email_send_bulk
from amity.integrations.models import OutboundEmail
from amity.integrations.sender_identities import identity_save
from tests.conftest import make_account, make_contact
from tests.core.workers import lose_every_attempt
from tests.integrations.conftest import emailable, run_queued_sends


def only(server):
    assert len(server.received) == 1
    return server.received[0].message


def test_a_personalised_message_arrives_with_both_parts_and_our_message_id(
        org, smtp_server, welcome):
    identity_save(actor=org.admin, from_name="Siam Fresh", from_address="hello@siam.example",
                  reply_to="sales@siam.example")
    account = make_account(org.owner, "Siam <Fresh> & Co")
    contact = emailable(org.owner, given_name="Somchai", job_title="Buyer", account=account)
    message = email_send(user=org.owner, contact=contact, template=welcome,
                         idempotency_key="k1")
    assert message.status == "queued" and smtp_server.received == []
    assert run_queued_sends() == ["SUCCESSFUL"]
    got = only(smtp_server)
    assert got["Subject"] == "Welcome Somchai"
    assert got["Message-ID"] == message.message_id
    assert got["To"].addresses[0].addr_spec == "somchai@example.com"
    assert got["From"].addresses[0].display_name == "Siam Fresh"
    assert got["Reply-To"].addresses[0].addr_spec == "sales@siam.example"
    html = got.get_body(("html",)).get_content()
    text = got.get_body(("plain",)).get_content()
    assert "Siam &lt;Fresh&gt; &amp; Co" in html  # values are escaped in HTML
    assert "Siam <Fresh> & Co" in text  # the derived plain text reads naturally
    assert "Buyer" in text and "<p>" not in text
    message.refresh_from_db()
    assert message.status == "sent" and message.sent_at and message.attempts == 1


@pytest.mark.parametrize(("language", "given", "family", "subject", "body"), [
    ("th", "สมชาย", "ใจดี", "ยินดีต้อนรับคุณสมชาย", "สวัสดีคุณสมชาย"),
    ("fa", "مریم", "احمدی", "خوش آمدید مریم", "سلام مریم"),
    ("zh-Hans", "伟", "王", "欢迎王伟", "你好，王伟"),
    ("de", "Jürgen", "Müller", "Welcome Jürgen", "Hello Jürgen"),  # no version: the default
    ("th-TH", "สมชาย", "ใจดี", "ยินดีต้อนรับคุณสมชาย", "สวัสดีคุณสมชาย"),
    ("zh", "伟", "王", "欢迎王伟", "你好，王伟"),
])
def test_the_contacts_language_version_is_sent(org, smtp_server, welcome, language, given,
                                               family, subject, body):
    contact = emailable(org.owner, given_name=given, family_name=family, language=language,
                        email="somchai@ตัวอย่าง.ไทย" if language == "th" else "p@example.com")
    email_send(user=org.owner, contact=contact, template=welcome, idempotency_key="k")
    run_queued_sends()
    got = only(smtp_server)
    # Django 5.2 folds an encoded subject right after "Subject:"; unfolding leaves a space.
    assert got["Subject"].strip() == subject
    assert body in got.get_body(("html",)).get_content()
    assert got["To"].addresses[0].display_name == str(contact)
    rtl = 'dir="rtl"' in got.get_body(("html",)).get_content()
    assert rtl == (language == "fa")


@pytest.mark.parametrize("address", ["สมชาย@ตัวอย่าง.ไทย", "用户@例子.广告", "user@example.com"])
def test_an_address_written_in_thai_or_chinese_arrives_as_written(org, smtp_server, welcome,
                                                                  address):
    contact = emailable(org.owner, given_name="สมชาย", email=address)
    email_send(user=org.owner, contact=contact, template=welcome, idempotency_key="k")
    assert run_queued_sends() == ["SUCCESSFUL"]
    [received] = smtp_server.received
    assert received.rcpt_tos == [address]  # the envelope, not an encoded word
    assert received.message["To"].addresses[0].addr_spec == address
    assert received.message["To"].addresses[0].display_name == str(contact)
    assert "Welcome" in received.message["Subject"]


def test_a_server_without_smtputf8_fails_such_an_address_with_the_reason(org, welcome,
                                                                         settings):
    from tests.mail_server import SmtpServer

    server = SmtpServer(smtputf8=False)
    server.start()
    try:
        settings.EMAIL_BACKEND = "amity.integrations.smtp_backend.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
        settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER = False, ""
        thai = emailable(org.owner, email="สมชาย@example.com")
        plain = emailable(org.owner, family_name="Plain", email="plain@example.com")
        failed = email_send(user=org.owner, contact=thai, template=welcome,
                            idempotency_key="k1")
        email_send(user=org.owner, contact=plain, template=welcome, idempotency_key="k2")
        assert sorted(run_queued_sends()) == ["FAILED", "SUCCESSFUL"]
        failed.refresh_from_db()
        assert failed.status == "failed" and "SMTPUTF8" in failed.last_error
        assert [r.rcpt_tos for r in server.received] == [["plain@example.com"]]
    finally:
        server.stop()


def test_a_written_plain_text_part_is_used_as_written(org, smtp_server, welcome):
    contact = emailable(org.owner, given_name="مریم", language="fa")
    email_send(user=org.owner, contact=contact, template=welcome, idempotency_key="k")
    run_queued_sends()
    assert only(smtp_server).get_body(("plain",)).get_content().strip() == \
        "سلام مریم (متن ساده)"


def test_the_same_key_returns_the_same_message_and_sends_once(org, smtp_server, welcome):
    contact = emailable(org.owner, given_name="Somchai")
    first = email_send(user=org.owner, contact=contact, template=welcome, idempotency_key="k")
    again = email_send(user=org.owner, contact=contact, template=welcome, idempotency_key="k")
    assert again.pk == first.pk
    run_queued_sends()
    later = email_send(user=org.owner, contact=contact, template=welcome, idempotency_key="k")
    assert later.pk == first.pk and later.status == "sent"
    assert run_queued_sends() == []
    # Running the task again (a retry after a crash) sends nothing either.
    from amity.integrations.tasks import send_outbound_email
    assert send_outbound_email.call(first.pk) == "sent"
    assert len(smtp_server.received) == 1
    assert Event.objects.filter(kind="email.sent").count() == 1


def test_a_key_used_for_another_contact_is_refused(org, welcome):
    email_send(user=org.owner, contact=emailable(org.owner), template=welcome,
               idempotency_key="k")
    with pytest.raises(ValidationError) as exc:
        email_send(user=org.owner, contact=emailable(org.owner, email="b@example.com"),
                   template=welcome, idempotency_key="k")
    assert "idempotency_key" in exc.value.message_dict


def test_no_consent_or_withdrawn_consent_or_no_address_is_refused(org, welcome):
    never_asked = make_contact(org.owner, email="a@example.com")
    withdrawn = emailable(org.owner, email="w@example.com")
    consent_record(contact=withdrawn, user=org.owner, channel="email", status="withdrawn",
                   method="email")
    no_address = emailable(org.owner, email="")
    for contact in (never_asked, withdrawn, no_address):
        with pytest.raises(ValidationError) as exc:
            email_send(user=org.owner, contact=contact, template=welcome, idempotency_key="k")
        assert "contact" in exc.value.message_dict
    assert not OutboundEmail.objects.exists()


def test_consent_withdrawn_after_queueing_cancels_the_send(org, smtp_server, welcome):
    contact = emailable(org.owner)
    message = email_send(user=org.owner, contact=contact, template=welcome, idempotency_key="k")
    consent_record(contact=contact, user=org.owner, channel="email", status="withdrawn",
                   method="email")
    run_queued_sends()
    message.refresh_from_db()
    assert message.status == "cancelled" and smtp_server.received == []


def test_another_teams_contact_does_not_exist_and_a_viewer_may_not_send(org, welcome):
    contact = emailable(org.owner)
    with pytest.raises(ObjectDoesNotExist):
        email_send(user=org.outsider, contact=contact, template=welcome, idempotency_key="k")
    with pytest.raises(PermissionDenied):
        email_send(user=org.viewer, contact=contact, template=welcome, idempotency_key="k")


@pytest.mark.parametrize("payload", [
    "Hi\r\nBcc: victim@example.com", "Hi\nBcc: victim@example.com", "Hi\rX", "Hi\x0bX\x1b",
    "Hi\u2028Bcc: v@example.com", "Hi\x85Bcc: v@example.com"])
def test_line_breaks_in_a_name_used_in_the_subject_are_refused(org, smtp_server, welcome,
                                                                payload):
    contact = emailable(org.owner, given_name=payload)
    with pytest.raises(ValidationError) as exc:
        email_send(user=org.owner, contact=contact, template=welcome, idempotency_key="k")
    assert "subject" in exc.value.message_dict
    assert not OutboundEmail.objects.exists() and smtp_server.received == []


@pytest.mark.parametrize(("field", "values"), [
    ("from_name", {"from_name": "Siam\r\nBcc: victim@example.com"}),
    ("from_address", {"from_address": "a@example.com\r\nBcc: victim@example.com"}),
    ("reply_to", {"reply_to": "r@example.com\nBcc: victim@example.com"}),
    ("from_address", {"from_address": "a@example.com, victim@example.com"}),
    ("from_name", {"from_name": "Siam\x00"}),
    ("from_name", {"from_name": "Siam\u2028Bcc: victim@example.com"}),
])
def test_sender_identities_refuse_header_injection(org, field, values):
    data = {"from_name": "Siam", "from_address": "a@example.com", "reply_to": "", **values}
    with pytest.raises(ValidationError) as exc:
        identity_save(actor=org.admin, **data)
    assert field in exc.value.message_dict


def test_a_user_sends_as_themselves_else_as_the_organisation(org, smtp_server, welcome):
    identity_save(actor=org.admin, from_name="Amity Co", from_address="hello@amity.example")
    identity_save(actor=org.admin, user=org.owner, from_name="Owner Person",
                  from_address="owner@amity.example")
    teammate_contact = emailable(org.teammate, email="t@example.com")
    owner_contact = emailable(org.owner, email="o@example.com")
    email_send(user=org.owner, contact=owner_contact, template=welcome, idempotency_key="a")
    email_send(user=org.teammate, contact=teammate_contact, template=welcome,
               idempotency_key="b")
    run_queued_sends()
    senders = {m.message["To"].addresses[0].addr_spec: m.message["From"].addresses[0].addr_spec
               for m in smtp_server.received}
    assert senders == {"o@example.com": "owner@amity.example",
                       "t@example.com": "hello@amity.example"}


def test_server_down_records_the_failure_then_sends_exactly_once(org, smtp_server, welcome):
    from amity.integrations.tasks import send_outbound_email

    contact = emailable(org.owner)
    message = email_send(user=org.owner, contact=contact, template=welcome, idempotency_key="k")
    smtp_server.stop()
    assert run_queued_sends() == ["FAILED"]
    message.refresh_from_db()
    assert message.status == "failed" and message.sent_at is None
    assert "refused" in message.last_error.lower() or "errno" in message.last_error.lower()
    assert not Event.objects.filter(kind="email.sent").exists()
    smtp_server.start()
    assert send_outbound_email.call(message.pk) == "sent"  # the retry
    assert send_outbound_email.call(message.pk) == "sent"  # a duplicate retry
    assert len(smtp_server.received) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 2, "")


def test_the_sent_message_is_on_the_contacts_timeline(org, smtp_server, welcome):
    contact = emailable(org.owner, given_name="Somchai")
    message = email_send(user=org.owner, contact=contact, template=welcome, idempotency_key="k")
    run_queued_sends()
    event = Event.objects.for_subject(contact).get(kind="email.sent")
    assert event.payload["subject"] == "Welcome Somchai"
    assert event.payload["message_id"] == message.message_id
    assert event.actor == org.owner


def test_bulk_sends_one_message_per_contact_and_reports_the_skipped(org, smtp_server,
                                                                     welcome):
    ok = [emailable(org.owner, given_name=f"P{i}", email=f"p{i}@example.com") for i in range(3)]
    no_consent = make_contact(org.owner, email="nc@example.com")
    theirs = emailable(org.outsider, email="x@example.com")
    report = email_send_bulk(user=org.owner, contacts=[*ok, no_consent, theirs.pk, ok[0]],
                             template=welcome, idempotency_key="campaign-1")
    assert len(report.queued) == 3
    assert {cid for cid, _why in report.skipped} == {no_consent.pk, theirs.pk}
    again = email_send_bulk(user=org.owner, template=welcome, idempotency_key="campaign-1",
                            contacts=Contact.objects.filter(pk__in=[c.pk for c in ok]))
    assert {m.pk for m in again.queued} == {m.pk for m in report.queued}
    assert run_queued_sends() == ["SUCCESSFUL"] * 3
    assert sorted(m.message["Subject"] for m in smtp_server.received) == \
        ["Welcome P0", "Welcome P1", "Welcome P2"]


def test_extra_values_from_automation_are_escaped_and_checked(org, smtp_server):
    from amity.integrations.email_templates import template_save

    template = template_save(actor=org.admin, template=None, name="Coupon",
                             default_language="en", versions={"en": {
                                 "subject": "Code {{ extra.code }}",
                                 "html_body": "<p>{{ extra.code|default('none') }}</p>"}})
    contact = emailable(org.owner)
    email_send(user=org.owner, contact=contact, template=template, idempotency_key="k",
               extra_context={"code": "<b>A&B</b>"})
    run_queued_sends()
    got = only(smtp_server)
    assert got["Subject"] == "Code <b>A&B</b>"
    assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in got.get_body(("html",)).get_content()
    for bad in ({"code": object()}, {"code": "x" * 10_001}, {"__class__": "x"}):
        with pytest.raises(ValidationError) as exc:
            email_send(user=org.owner, contact=contact, template=template, idempotency_key="k2",
                       extra_context=bad)
        assert "extra_context" in exc.value.message_dict


def test_a_contact_deleted_before_sending_is_not_emailed(org, smtp_server, welcome):
    from amity.core.services import record_delete

    contact = emailable(org.owner)
    message = email_send(user=org.owner, contact=contact, template=welcome, idempotency_key="k")
    record_delete(record=contact, user=org.admin)
    run_queued_sends()
    message.refresh_from_db()
    assert message.status == "cancelled" and smtp_server.received == []


@pytest.mark.parametrize(("left_as", "error"), [
    ("queued", "Its tries ran out before it was sent."),
    ("sending", "The worker stopped while sending it, on its last try: the mail server may "
                "have accepted it."),
])
def test_a_message_whose_tries_lost_workers_used_up_is_failed_with_the_reason(
        org, smtp_server, welcome, left_as, error):
    from amity.integrations.tasks import send_outbound_email

    message = email_send(user=org.owner, contact=emailable(org.owner), template=welcome,
                         idempotency_key="k")
    OutboundEmail.objects.filter(pk=message.pk).update(status=left_as)  # how a worker left it
    task = DBTaskResult.objects.get(task_path=send_outbound_email.module_path)
    lose_every_attempt(task, 8)
    message.refresh_from_db()
    assert (message.status, message.last_error) == ("failed", error)
    assert smtp_server.received == []
