"""Malformed mail, delivered to a real Dovecot: stored as far as possible or rejected
with a reason, and never in the way of the messages after it."""

import base64
import os

import pytest
from django.urls import reverse

from amity.integrations import inbound_mail
from amity.integrations.mailboxes import mailbox_poll
from amity.integrations.models import InboundMessage, RejectedMessage
from tests.conftest import signed_in
from tests.integrations.mail_samples import mail, mailbox_for

pytestmark = pytest.mark.django_db

THAI = ("สวัสดีครับ ผมต้องการสั่งซื้อสินค้าจำนวนหนึ่งร้อยชิ้น "
        "กรุณาส่งใบเสนอราคามาให้ด้วยครับ ขอบคุณมาก")
CHINESE = "您好，我想咨询一下贵公司产品的价格和交货时间，请尽快回复，谢谢！我们需要大约五百件。"
# cp1256 has no Persian yeh/kaf, so Persian written in it uses the Arabic letters.
PERSIAN = ("سلام، من مي‌خواهم سفارش خود را پيگيري كنم. لطفاً وضعيت ارسال را به من اطلاع "
           "دهيد. متشكرم")


def raw(headers: str, body: bytes) -> bytes:
    return headers.replace("\n", "\r\n").encode() + b"\r\n" + body


def poll_one(imap_server, message: bytes, **mailbox) -> InboundMessage:
    imap_server.append(message)
    mailbox_poll(mailbox_for(imap_server, **mailbox).pk)
    return InboundMessage.objects.get()


def test_thai_in_tis620_labelled_utf8_is_read_as_thai(imap_server):
    subject = "=?utf-8?b?" + base64.b64encode("ใบเสนอราคา".encode()).decode() + "?="
    message = poll_one(imap_server, raw(
        f"From: somchai@example.com\nSubject: {subject}\nMessage-ID: <tis@x>\n"
        "Content-Type: text/plain; charset=utf-8\n", THAI.encode("tis-620")))
    assert message.subject == "ใบเสนอราคา"
    assert message.text_body == THAI
    assert "text/plain: not valid utf-8" in message.problems


def test_undeclared_gb18030_and_an_encoded_gb18030_subject(imap_server):
    subject = "=?gb18030?b?" + base64.b64encode("报价单".encode("gb18030")).decode() + "?="
    message = poll_one(imap_server, raw(
        f"From: ling@example.cn\nSubject: {subject}\nMessage-ID: <gb@x>\n",
        CHINESE.encode("gb18030")))
    assert message.subject == "报价单"
    assert message.text_body == CHINESE


def test_undeclared_cp1256_persian_and_a_raw_8bit_subject(imap_server):
    message = poll_one(imap_server, b"From: reza@example.ir\r\nMessage-ID: <fa@x>\r\n"
                       b"Subject: " + "سفارش".encode("cp1256") + b"\r\n\r\n"
                       + PERSIAN.encode("cp1256"))
    assert message.text_body == PERSIAN
    assert message.subject == "سفارش"


def test_an_unknown_charset_name_is_read_anyway(imap_server):
    message = poll_one(imap_server, raw(
        "From: a@example.com\nSubject: x\nMessage-ID: <k@x>\n"
        "Content-Type: text/plain; charset=x-klingon\n", "Grüße, 谢谢".encode()))
    assert message.text_body == "Grüße, 谢谢"
    assert any("unknown charset" in p for p in message.problems)


def test_missing_headers_get_a_stable_message_id_so_a_repoll_does_not_duplicate(
        imap_server):
    headless = raw("Subject: no sender, no id, no date\n", b"body")
    imap_server.append(headless)
    box = mailbox_for(imap_server)
    mailbox_poll(box.pk)
    imap_server.recreate_folder()
    imap_server.append(headless)
    assert mailbox_poll(box.pk).duplicates == 1
    message = InboundMessage.objects.get()
    assert message.message_id.endswith("@amity.invalid>")
    assert message.from_address == "" and message.sent_at is None
    assert "no sender address" in message.problems


def test_broken_and_unterminated_multipart_keeps_what_can_be_read(imap_server):
    message = poll_one(imap_server, raw(
        "From: a@example.com\nSubject: broken\nMessage-ID: <mp@x>\nDate: not a date\n"
        'Content-Type: multipart/mixed; boundary="BOUND"\n',
        b"--BOUND\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe text part\r\n"
        b"--BOUND\r\nContent-Type: application/pdf; name=\"q.pdf\"\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK!!!not base64"))
    assert message.text_body.strip() == "The text part"
    assert "Date header unreadable" in message.problems
    assert "CloseBoundaryNotFoundDefect" in message.problems
    assert message.attachments.count() == 1


def test_a_boundary_that_never_appears(imap_server):
    message = poll_one(imap_server, raw(
        "From: a@example.com\nSubject: lost boundary\nMessage-ID: <nb@x>\n"
        'Content-Type: multipart/alternative; boundary="NEVER"\n',
        b"Just some text without any boundary at all.\r\n"))
    assert "Just some text" in message.text_body or message.attachments.exists()
    assert "StartBoundaryNotFoundDefect" in message.problems


def test_binary_junk_is_rejected_with_a_reason_and_the_next_message_is_read(
        imap_server, org):
    junk = bytes(b or 1 for b in os.urandom(4000))  # IMAP literals carry no NUL
    imap_server.append(junk, mail(subject="After the junk"))
    box = mailbox_for(imap_server)
    report = mailbox_poll(box.pk)
    assert (report.stored, report.rejected) == (1, 1)
    rejected = RejectedMessage.objects.get()
    assert rejected.reason_text == "not an email message: no mail headers found"
    assert rejected.imap_uid == 1
    page = signed_in(org.admin).get(reverse("mailbox_rejected", args=[box.pk]))
    assert "no mail headers found" in page.content.decode()
    assert mailbox_poll(box.pk).rejected == 0  # marked, not retried


def test_a_message_over_the_size_limit_is_rejected_without_downloading_it(
        imap_server, settings):
    settings.MAIL_IN_MAX_MESSAGE_BYTES = 5000
    imap_server.append(mail(subject="Huge", body="x" * 10000), mail(subject="Small"))
    report = mailbox_poll(mailbox_for(imap_server).pk)
    assert (report.stored, report.rejected) == (1, 1)
    assert "the limit is 5000" in RejectedMessage.objects.get().reason_text
    assert InboundMessage.objects.get().subject == "Small"


def test_a_20_mb_attachment_is_refused_and_the_message_kept(imap_server, media_root):
    big = b"%PDF-1.4\n" + os.urandom(20 * 1024 * 1024)
    message = poll_one(imap_server, mail(subject="With a big file", attachments=(
        ("big.pdf", "application/pdf", big), ("small.pdf", "application/pdf", b"%PDF-1.4\n"))))
    assert message.subject == "With a big file"
    files = {a.filename: a for a in message.attachments.all()}
    assert "the limit is" in files["big.pdf"].refused_text and not files["big.pdf"].stored
    assert files["small.pdf"].stored


def test_a_poison_message_is_marked_and_skipped(imap_server, monkeypatch):
    real_parse = inbound_mail.mail_parse

    def parser_bug(raw_bytes):
        if b"poison" in raw_bytes:
            raise RecursionError("maximum recursion depth exceeded")
        return real_parse(raw_bytes)

    monkeypatch.setattr(inbound_mail, "mail_parse", parser_bug)
    imap_server.append(mail(subject="poison"), mail(subject="Fine"))
    box = mailbox_for(imap_server)
    report = mailbox_poll(box.pk)
    assert (report.stored, report.rejected) == (1, 1)
    assert "RecursionError" in RejectedMessage.objects.get().reason_text
    box.refresh_from_db()
    assert box.last_uid == 2


def test_reasons_are_shown_in_the_readers_language(imap_server, org):
    imap_server.append(bytes(b or 1 for b in os.urandom(1000)))
    box = mailbox_for(imap_server)
    mailbox_poll(box.pk)
    org.admin.language = "th"
    org.admin.save()
    page = signed_in(org.admin).get(reverse("mailbox_rejected", args=[box.pk]))
    assert "ไม่ใช่อีเมล: ไม่พบส่วนหัวของจดหมาย" in page.content.decode()
