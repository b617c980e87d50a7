"""The parser on its own: whatever the bytes, a message or a reason, never a crash."""

import random

import pytest

from amity.integrations.inbound_mail import inbound_store
from amity.integrations.mail_parsing import UnreadableMessage, mail_parse
from amity.integrations.mailboxes import mailbox_save
from amity.integrations.models import InboundMessage, Mailbox

SEED = (b'From: "A" <a@example.com>\r\nTo: x@example.com\r\n'
        b"Subject: =?utf-8?q?bad=ZZ?= =?x-unk?b?!!?=\r\nMessage-ID: <m@x>\r\n"
        b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\n'
        b'Content-Type: text/plain; charset="utf-8"\r\n'
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\nhi=E0=B8=\r\n--B\r\n"
        b"Content-Disposition: attachment; filename*=utf-8''%E0%B8%81%ZZ.pdf\r\n"
        b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"@@@@\r\n--B--\r\n")


def test_randomly_damaged_mail_is_read_or_refused_never_a_crash():
    rng = random.Random(4)
    for _ in range(500):
        damaged = bytearray(SEED)
        for _ in range(rng.randint(1, 20)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        try:
            parsed = mail_parse(bytes(damaged))
        except UnreadableMessage:
            continue
        for text in (parsed.subject, parsed.text_body, parsed.from_name):
            text.encode("utf-8")  # no lone surrogates reach the database
            assert "\x00" not in text


def test_a_huge_or_strange_message_id_is_replaced_by_a_stable_one():
    for value in ("<" + "x" * 5000 + "@example.com>", "two words", "<ไทย@例子.中国>"):
        raw = f"From: a@example.com\r\nMessage-ID: {value}\r\n\r\nbody".encode()
        first, second = mail_parse(raw), mail_parse(raw)
        assert first.message_id == second.message_id and len(first.message_id) <= 255


def test_deeply_nested_multiparts_are_cut_off():
    raw = b"From: a@example.com\r\nSubject: nest\r\n"
    for level in range(60):
        raw += f'Content-Type: multipart/mixed; boundary="b{level}"\r\n\r\n--b{level}\r\n'.encode()
    raw += b"Content-Type: text/plain\r\n\r\ndeep\r\n"
    parsed = mail_parse(raw)
    assert any("nested too deep" in p for p in parsed.problems)


@pytest.mark.django_db
def test_nul_bytes_and_control_characters_are_stored_without_them():
    box = mailbox_save(mailbox=Mailbox(), password="pw", data={
        "name": "B", "host": "imap.example.com", "port": 993, "security": "ssl",
        "username": "u", "folder": "INBOX", "active": True})
    raw = (b"From: Nul\x00Name <nul@example.com>\r\nSubject: a\x00b\x07c\r\n"
           b"Message-ID: <nul@x>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           b"line\x00one\r\nline two\r\n")
    result = inbound_store(raw, mailbox=box)
    message = InboundMessage.objects.get(pk=result.message.pk)
    assert message.subject == "abc"
    assert message.text_body.replace("\r\n", "\n").strip() == "lineone\nline two"
