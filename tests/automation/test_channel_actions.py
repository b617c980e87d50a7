"""The four channel actions carried out by the channel apps: an email from a template that
reaches a real SMTP server once, an SMS, a notification, and a webhook call that the
outbound guard refuses for a private address."""

from amity.automation.models import RuleRun
from amity.collaboration.models import Notification
from amity.integrations.models import OutboundEmail, SmsMessage, WebhookDelivery
from tests.automation.helpers import make_rule, run_queued
from tests.conftest import make_account
from tests.integrations.conftest import emailable, run_queued_sends


def contact_rule(org, actions):
    return make_rule(org.admin, event="created", kind="customers.contact", actions=actions)


def test_an_email_from_a_template_reaches_the_contact_once(org, smtp_server, welcome):
    contact_rule(org, [{"type": "send_email", "template": welcome.pk, "to": "record"}])
    contact = emailable(org.owner, given_name="สมชาย", language="th")
    run_queued()
    run_queued()  # nothing new is queued by running again
    assert run_queued_sends() == ["SUCCESSFUL"]
    [received] = smtp_server.received
    assert received.rcpt_tos == [contact.email]
    assert "ยินดีต้อนรับคุณสมชาย" in received.message["Subject"]
    assert RuleRun.objects.get().status == "done"


def test_a_contact_without_email_consent_fails_the_run_and_gets_nothing(org, smtp_server,
                                                                       welcome):
    from tests.conftest import make_contact

    contact_rule(org, [{"type": "send_email", "template": welcome.pk, "to": "record"}])
    make_contact(org.owner, email="no-consent@example.com")
    run_queued()
    run = RuleRun.objects.get()
    assert run.status == "failed" and "not agreed to receive email" in run.error
    assert not OutboundEmail.objects.exists() and smtp_server.received == []


def test_an_sms_and_a_notification_are_queued_in_order(org):
    from amity.customers.services import consent_record
    from tests.conftest import make_contact

    contact_rule(org, [
        {"type": "send_sms", "body": "สวัสดี 👋", "to": "record"},
        {"type": "notify", "users": [org.manager.pk], "message": "New contact to call"},
    ])
    contact = make_contact(org.owner, phone="+66 81 234 5678", country="TH")
    consent_record(contact=contact, user=org.owner, channel="sms", status="granted",
                   method="web_form")
    run_queued()
    assert RuleRun.objects.get().status == "done"
    assert SmsMessage.objects.get().body == "สวัสดี 👋"
    note = Notification.objects.get(recipient=org.manager)
    assert note.title == "New contact to call"


def test_a_webhook_to_a_private_address_is_refused_and_logged(org):
    make_rule(org.admin, event="created", actions=[
        {"type": "call_webhook", "url": "http://169.254.169.254/latest/meta-data/"}])
    make_account(org.owner)
    run_queued()
    run = RuleRun.objects.get()
    assert run.status == "failed" and run.error
    assert not WebhookDelivery.objects.exists()
