"""The service-level check on email in: a customer's email nobody answered in time tells
the owner of the contact who wrote it, once; any answer (an email from Amity, a logged
email or call, a colleague's reply in the conversation) keeps it quiet."""

import datetime as dt

import pytest
from django.utils import timezone

from amity.activities.services import activity_create
from amity.collaboration.models import Notification
from amity.core.jobs import SCHEDULES
from amity.customers.models import Contact
from amity.integrations.inbound_mail import inbound_store
from amity.integrations.mail_reply_checks import check_replies
from amity.integrations.models import InboundMessage, OutboundEmail
from tests.conftest import make_contact
from tests.integrations.mail_samples import mail

pytestmark = pytest.mark.django_db
LATER = dt.timedelta(hours=25)


@pytest.fixture
def customer(org):
    return make_contact(org.owner, "ใจดี", given_name="สมชาย", email="somchai@example.com")


def arrive(box, **fields) -> InboundMessage:
    return inbound_store(mail(**fields), mailbox=box).message


def overdue_notes():
    return list(Notification.objects.filter(kind="email_reply_overdue"))


def test_an_unanswered_email_tells_the_contacts_owner_once(box, customer, org):
    message = arrive(box, subject="สอบถามราคา")
    assert check_replies(now=timezone.now() + dt.timedelta(hours=23)) == 0  # not yet due
    assert check_replies(now=timezone.now() + LATER) == 1
    [note] = overdue_notes()
    assert note.recipient == org.owner and note.record_id == customer.pk
    assert note.title == "No answer in 24 hours to สมชาย ใจดี: สอบถามราคา"
    assert check_replies(now=timezone.now() + 2 * LATER) == 0  # decided once
    message.refresh_from_db()
    assert message.reply_checked_at is not None and len(overdue_notes()) == 1
    org.teammate.language = "fa"
    org.teammate.save()
    Contact.objects.filter(pk=customer.pk).update(owner=org.teammate)
    arrive(box, subject="سؤال")
    check_replies(now=timezone.now() + LATER)
    assert Notification.objects.get(recipient=org.teammate).title.startswith(
        "در ۲۴ ساعت")


def test_an_email_sent_from_amity_answers_it(box, customer, org):
    arrive(box)
    OutboundEmail.objects.create(contact=customer, to_address=customer.email,
                                 from_name="Owner", from_address="owner@amity.test",
                                 subject="Re: Order question", text_body="Answer",
                                 message_id="<a@amity.test>", idempotency_key="k1",
                                 status="sent")
    assert check_replies(now=timezone.now() + LATER) == 0 and overdue_notes() == []


def test_a_failed_send_does_not_count_as_an_answer(box, customer, org):
    arrive(box)
    OutboundEmail.objects.create(contact=customer, to_address=customer.email,
                                 from_name="Owner", from_address="owner@amity.test",
                                 subject="Re", text_body="x", message_id="<b@amity.test>",
                                 idempotency_key="k2", status="failed")
    assert check_replies(now=timezone.now() + LATER) == 1


def test_a_logged_call_answers_it(box, customer, org):
    message = arrive(box)
    InboundMessage.objects.filter(pk=message.pk).update(
        received_at=timezone.now() - dt.timedelta(minutes=5))
    activity_create(user=org.teammate, data={"type": "call", "title": "Called back",
                                             "contact": customer, "done_at": timezone.now()})
    assert check_replies(now=timezone.now() + LATER) == 0


def test_a_colleagues_reply_in_the_conversation_answers_it(box, customer):
    arrive(box, subject="Question", message_id="<q@example.com>")
    arrive(box, subject="Re: Question", sender="Teammate <teammate@amity.test>",
           to="somchai@example.com", in_reply_to="<q@example.com>")
    assert check_replies(now=timezone.now() + LATER) == 0
    arrive(box, subject="Another question", message_id="<q2@example.com>")
    assert check_replies(now=timezone.now() + LATER) == 1  # a new conversation waits


def test_mail_a_customer_was_only_copied_on_or_from_strangers_is_not_checked(box, customer):
    arrive(box, sender="Stranger <someone@elsewhere.example>", cc="somchai@example.com")
    assert check_replies(now=timezone.now() + LATER) == 0 and overdue_notes() == []


def test_old_mail_is_not_checked_and_the_check_can_be_turned_off(box, customer, settings):
    old = arrive(box)
    InboundMessage.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - dt.timedelta(days=30))
    assert check_replies() == 0
    arrive(box, subject="New")
    settings.EMAIL_REPLY_HOURS = 0
    assert check_replies(now=timezone.now() + LATER) == 0
    settings.EMAIL_REPLY_HOURS = 24
    assert check_replies(now=timezone.now() + LATER) == 1


def test_the_check_is_a_periodic_job():
    assert SCHEDULES["mail-in: replies overdue"].cron == "*/15 * * * *"
