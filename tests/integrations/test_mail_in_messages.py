"""What a polled message becomes: threaded, matched to contacts, on their timelines,
with its attachments checked."""

import pytest
from django.urls import reverse
from django.utils import translation

from amity.customers.models import ContactEmail
from amity.events.models import Event
from amity.integrations.mail_threads import mail_thread_register
from amity.integrations.mailboxes import mailbox_poll
from amity.integrations.models import InboundMessage
from tests.conftest import make_contact, signed_in
from tests.integrations.mail_samples import mail, mailbox_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def by_subject(subject: str) -> InboundMessage:
    return InboundMessage.objects.get(subject=subject)


def test_replies_join_their_parents_thread_even_when_the_parent_comes_later(imap_server):
    root = mail(subject="Quote", message_id="<root@example.com>")
    reply = mail(subject="Re: Quote", message_id="<reply@example.com>",
                 in_reply_to="<root@example.com>", references="<root@example.com>")
    late_child = mail(subject="Re: Re: Quote", message_id="<child@example.com>",
                      in_reply_to="<middle@example.com>",
                      references="<root@example.com> <middle@example.com>")
    other = mail(subject="Unrelated", message_id="<other@example.com>")
    # The reply to <middle> arrives before <middle> itself.
    imap_server.append(root, reply, late_child, other)
    box = mailbox_for(imap_server)
    mailbox_poll(box.pk)
    imap_server.append(mail(subject="Middle", message_id="<middle@example.com>"))
    mailbox_poll(box.pk)

    thread = by_subject("Quote").thread
    assert {m.subject for m in thread.messages.all()} == {
        "Quote", "Re: Quote", "Re: Re: Quote", "Middle"}
    assert by_subject("Unrelated").thread != thread


def test_two_threads_that_a_reply_joins_become_one(imap_server):
    imap_server.append(mail(subject="A", message_id="<a@x>"),
                       mail(subject="B", message_id="<b@x>"),
                       mail(subject="Re: A and B", references="<a@x> <b@x>"))
    mailbox_poll(mailbox_for(imap_server).pk)
    assert by_subject("A").thread == by_subject("B").thread == by_subject("Re: A and B").thread


def test_a_reply_to_mail_we_sent_joins_the_sent_mails_thread(imap_server):
    sent = mail_thread_register(message_id="<outbound-42@amity.test>", subject="Offer")
    imap_server.append(mail(subject="Re: Offer", in_reply_to="<outbound-42@amity.test>"))
    mailbox_poll(mailbox_for(imap_server).pk)
    assert by_subject("Re: Offer").thread == sent


def test_mail_is_matched_by_primary_and_other_emails_whatever_the_case(imap_server, org):
    somchai = make_contact(org.owner, "Boonmee", given_name="Somchai",
                           email="somchai@example.com")
    ling = make_contact(org.outsider, "Wang", given_name="Ling", email="ling@example.cn")
    ContactEmail.objects.create(contact=ling, email="ling.wang@work.example.cn")
    make_contact(org.owner, "Nobody", email="nobody@example.org")
    imap_server.append(
        mail(subject="From Somchai", sender="Somchai <SomChai@EXAMPLE.com>"),
        mail(subject="Cc Ling", sender="stranger@elsewhere.test",
             cc="Ling <Ling.Wang@Work.Example.CN>, somchai@example.com"),
        mail(subject="Nobody we know", sender="stranger@elsewhere.test"))
    mailbox_poll(mailbox_for(imap_server).pk)

    assert list(by_subject("From Somchai").contacts.all()) == [somchai]
    assert set(by_subject("Cc Ling").contacts.all()) == {somchai, ling}
    assert not by_subject("Nobody we know").contacts.exists()


def test_matched_mail_is_on_the_contacts_timeline_with_a_link(imap_server, org):
    contact = make_contact(org.owner, "Boonmee", email="somchai@example.com")
    imap_server.append(mail(subject="ขอใบเสนอราคา 报价 درخواست", sender="somchai@example.com"))
    mailbox_poll(mailbox_for(imap_server).pk)
    message = InboundMessage.objects.get()

    event = Event.objects.for_subject(contact).get(kind="email.received")
    assert event.payload["title"] == "ขอใบเสนอราคา 报价 درخواست"
    assert event.payload["url"] == reverse("inbound_message", args=[message.pk])
    page = signed_in(org.owner).get(reverse("contact_detail", args=[contact.pk]))
    assert "ขอใบเสนอราคา 报价 درخواست" in page.content.decode()
    assert reverse("inbound_message", args=[message.pk]) in page.content.decode()


def test_html_is_shown_sanitised(imap_server, org):
    make_contact(org.owner, "Boonmee", email="somchai@example.com")
    html = ('<p>Hi <b>team</b></p><script>alert("x")</script>'
            '<img src=x onerror="alert(1)"><a href="javascript:alert(2)">click</a>')
    imap_server.append(mail(sender="somchai@example.com", html=html))
    mailbox_poll(mailbox_for(imap_server).pk)
    message = InboundMessage.objects.get()
    assert message.html_body.strip() == html and message.text_body.strip() == "Hello"

    page = signed_in(org.owner).get(reverse("inbound_message", args=[message.pk]))
    content = page.content.decode()
    assert "<b>team</b>" in content
    for bad in ("<script>", "onerror", "javascript:"):
        assert bad not in content


def test_attachments_are_kept_checked_or_refused_with_the_reason(
        imap_server, org, media_root, settings):
    settings.MAIL_IN_MAX_ATTACHMENT_BYTES = 1000
    make_contact(org.owner, "Boonmee", email="somchai@example.com")
    imap_server.append(mail(sender="somchai@example.com", attachments=(
        ("ใบเสนอราคา.pdf", "application/pdf", PDF),
        ("invoice.pdf", "application/pdf", EXE),
        ("photo.jpg", "image/jpeg", PNG),
        ("notes.txt", "text/plain", "บันทึก 笔记".encode()),
        ("big.pdf", "application/pdf", PDF + b"0" * 2000),
        ("../../etc/passwd", "application/octet-stream", PNG),
    )))
    mailbox_poll(mailbox_for(imap_server).pk)
    message = InboundMessage.objects.get()
    files = {a.filename: a for a in message.attachments.all()}

    assert files["ใบเสนอราคา.pdf"].stored and files["ใบเสนอราคา.pdf"].content_type == (
        "application/pdf")
    assert not files["invoice.pdf"].stored
    with translation.override("en"):  # the reason is shown in the reader's language
        assert "executable" in files["invoice.pdf"].refused_text
    assert "image/png" in files["photo.jpg"].refused_text
    assert files["notes.txt"].content_type == "text/plain"
    assert "limit is 1000" in files["big.pdf"].refused_text
    assert files["_.._etc_passwd"].content_type == "image/png"
    assert message.text_body.strip() == "Hello"  # the rest of the message is kept

    owner = signed_in(org.owner)
    pdf = files["ใบเสนอราคา.pdf"]
    download = owner.get(reverse("inbound_attachment", args=[message.pk, pdf.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == PDF
    refused = files["invoice.pdf"]
    assert owner.get(reverse("inbound_attachment",
                             args=[message.pk, refused.pk])).status_code == 404
    page = owner.get(reverse("inbound_message", args=[message.pk])).content.decode()
    assert "executable" in page and "ใบเสนอราคา.pdf" in page


def test_the_same_attachment_twice_is_stored_once(imap_server, media_root):
    imap_server.append(mail(attachments=(("a.pdf", "application/pdf", PDF),)),
                       mail(attachments=(("b.pdf", "application/pdf", PDF),)))
    mailbox_poll(mailbox_for(imap_server).pk)
    names = {m.attachments.get().file.name for m in InboundMessage.objects.all()}
    assert len(names) == 1
    assert len([p for p in media_root.rglob("*") if p.is_file()]) == 1


def test_replies_to_an_email_amity_sent_share_one_conversation(imap_server, org):
    from amity.integrations.mail_out import email_send
    from amity.integrations.models import ThreadMessageId
    from tests.integrations.conftest import emailable

    template = welcome_template(org)
    sent = email_send(user=org.owner, contact=emailable(org.owner, email="somchai@example.com"),
                      template=template, idempotency_key="offer")
    conversation = ThreadMessageId.objects.get(message_id=sent.message_id).thread
    assert conversation.subject == "Welcome"
    imap_server.append(
        mail(subject="Re: Welcome", in_reply_to=sent.message_id),
        mail(subject="Re: Re: Welcome", references=sent.message_id, message_id="<r2@x.test>"))
    mailbox_poll(mailbox_for(imap_server).pk)
    first, second = by_subject("Re: Welcome"), by_subject("Re: Re: Welcome")
    assert first.thread == second.thread == conversation


def welcome_template(org):
    from amity.integrations.email_templates import template_save

    return template_save(actor=org.admin, template=None, name="Welcome", default_language="en",
                         versions={"en": {"subject": "Welcome", "html_body": "<p>Hi</p>"}})
