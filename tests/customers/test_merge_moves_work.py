"""A merge moves the work about the merged customers too: their tasks and opportunities
go to the survivor, and undo sends each back."""

from decimal import Decimal

import pytest
from django.utils import timezone

from amity.activities.models import Task
from amity.core.services import record_create
from amity.customers.merge import account_merge, contact_merge, record_merge_undo
from amity.sales.models import Opportunity, Pipeline, Stage
from tests.conftest import make_account, make_contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def stage(db) -> Stage:
    pipeline = Pipeline.objects.create(name="New business", is_default=True)
    return Stage.objects.create(pipeline=pipeline, name="Qualify", position=1,
                                probability=Decimal(10))


def opportunity(user, stage, **about) -> Opportunity:
    return Opportunity.objects.create(owner=user, name="ข้าวหอมมะลิ 20 ตัน", pipeline=stage.pipeline,
                                      stage=stage, currency="THB", amount=Decimal("950000"),
                                      probability=stage.probability, **about)


def task(user, title, **about) -> Task:
    return record_create(model=Task, user=user, data={"title": title, **about})


def meeting(user, title, contacts) -> Task:
    from amity.activities.services import activity_create

    return activity_create(user=user, data={
        "type": "meeting", "title": title, "due_at": timezone.now(), "duration_minutes": 30,
        "participant_contacts": [c.pk for c in contacts]})


def test_a_contact_merge_moves_tasks_and_opportunities_and_undo_returns_them(org, stage):
    survivor = make_contact(org.owner, "Boonmee", given_name="Somchai")
    other = make_contact(org.owner, "Bunmee", given_name="Somchai")
    kept = task(org.owner, "Call back", contact=survivor)
    follow_up = task(org.owner, "ส่งใบเสนอราคา", contact=other)
    deal = opportunity(org.owner, stage, contact=other)
    event = contact_merge(survivor=survivor, others=[other], user=org.owner, choices={})
    assert set(survivor.tasks.all()) == {kept, follow_up}
    assert list(survivor.opportunities.all()) == [deal]
    record_merge_undo(event=event, user=org.owner)
    assert list(Task.objects.filter(contact=other)) == [follow_up]
    assert list(Task.objects.filter(contact=survivor)) == [kept]
    assert Opportunity.objects.get(pk=deal.pk).contact_id == other.pk


def test_an_account_merge_moves_tasks_and_opportunities_and_undo_returns_them(org, stage):
    survivor = make_account(org.owner, "Siam Fresh Foods")
    other = make_account(org.owner, "Siam Fresh Food Co.")
    follow_up = task(org.owner, "续约提醒", account=other)
    deal = opportunity(org.owner, stage, account=other)
    event = account_merge(survivor=survivor, others=[other], user=org.owner, choices={})
    assert list(survivor.tasks.all()) == [follow_up]
    assert list(survivor.opportunities.all()) == [deal]
    assert event.payload["moved"]["opportunities"]["moved"] == {str(deal.pk): other.pk}
    record_merge_undo(event=event, user=org.owner)
    assert Task.objects.get(pk=follow_up.pk).account_id == other.pk
    assert Opportunity.objects.get(pk=deal.pk).account_id == other.pk


def test_a_contact_merge_moves_quotes_orders_meetings_and_messages_and_undo_returns_them(org):
    from amity.integrations.inbound_mail import inbound_store
    from amity.integrations.models import InboundMessage, Mailbox, OutboundEmail, SmsMessage
    from amity.integrations.sms import sms_send
    from amity.sales.models import Order, Quote
    from tests.integrations.mail_samples import mail
    from tests.integrations.test_sms import texting
    from tests.sales.test_quotes_orders import order as placed_order

    order = placed_order.__wrapped__(org)  # a quote sent, accepted and ordered
    quote, other = Quote.objects.get(), order.contact
    survivor = make_contact(org.owner, "احمدی", given_name="مریم", account=order.account)
    both = meeting(org.owner, "جلسه", [survivor, other])
    theirs = meeting(org.owner, "会议", [other])
    texted = texting(org.owner, family_name="Other")
    sms = sms_send(user=org.owner, contact=texted, body="สวัสดี", idempotency_key="m1")
    SmsMessage.objects.filter(pk=sms.pk).update(contact=other)
    box = Mailbox.objects.create(name="Sales inbox", host="imap.example.com", username="s")
    received = inbound_store(mail(sender=f"Maryam <{other.email}>", subject="سؤال"),
                             mailbox=box).message
    sent = OutboundEmail.objects.get(contact=other)  # the quote's email

    event = contact_merge(survivor=survivor, others=[other], user=org.owner, choices={})
    assert Quote.objects.get(pk=quote.pk).contact_id == survivor.pk
    assert Order.objects.get(pk=order.pk).contact_id == survivor.pk
    assert set(both.participant_contacts.all()) == {survivor}  # not listed twice
    assert set(theirs.participant_contacts.all()) == {survivor}
    assert SmsMessage.objects.get(pk=sms.pk).contact_id == survivor.pk
    assert OutboundEmail.objects.get(pk=sent.pk).contact_id == survivor.pk
    assert set(InboundMessage.objects.get(pk=received.pk).contacts.all()) == {survivor}

    record_merge_undo(event=event, user=org.owner)
    assert Quote.objects.get(pk=quote.pk).contact_id == other.pk
    assert Order.objects.get(pk=order.pk).contact_id == other.pk
    assert set(both.participant_contacts.all()) == {survivor, other}
    assert set(theirs.participant_contacts.all()) == {other}
    assert SmsMessage.objects.get(pk=sms.pk).contact_id == other.pk
    assert OutboundEmail.objects.get(pk=sent.pk).contact_id == other.pk
    assert set(InboundMessage.objects.get(pk=received.pk).contacts.all()) == {other}


def test_an_account_merge_moves_quotes_and_orders_and_undo_returns_them(org):
    from amity.sales.models import Order, Quote
    from tests.sales.test_quotes_orders import order as placed_order

    order = placed_order.__wrapped__(org)
    other, quote = order.account, Quote.objects.get()
    survivor = make_account(org.owner, "شرکت نمونه سهامی")
    event = account_merge(survivor=survivor, others=[other], user=org.owner, choices={})
    assert Quote.objects.get(pk=quote.pk).account_id == survivor.pk
    assert Order.objects.get(pk=order.pk).account_id == survivor.pk
    record_merge_undo(event=event, user=org.owner)
    assert Quote.objects.get(pk=quote.pk).account_id == other.pk
    assert Order.objects.get(pk=order.pk).account_id == other.pk
