"""The inbound-mail webhook: the same store as IMAP, behind a per-mailbox token."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amity.integrations.mailboxes import mailbox_save, mailbox_token_new
from amity.integrations.models import InboundMessage, Mailbox, RejectedMessage
from tests.conftest import make_contact
from tests.integrations.mail_samples import mail

pytestmark = pytest.mark.django_db
RFC822 = "message/rfc822"


@pytest.fixture
def token(box) -> str:
    return mailbox_token_new(mailbox=box)


def post(box, body, token=None, content_type=RFC822, **extra):
    headers = {"X-Mailbox-Token": token} if token else {}
    return Client().post(f"/api/v1/inbound-mail/{box.pk}", body, content_type=content_type,
                         headers=headers, **extra)


def test_a_posted_message_is_stored_matched_and_a_repost_is_a_duplicate(box, token, org):
    contact = make_contact(org.owner, "Boonmee", email="somchai@example.com")
    message = mail(subject="ผ่านเว็บฮุก", sender="somchai@example.com",
                   message_id="<hook-1@example.com>")
    first = post(box, message, token)
    assert first.status_code == 201, first.content
    stored = InboundMessage.objects.get()
    assert first.json() == {"id": stored.pk, "message_id": "<hook-1@example.com>",
                            "thread": stored.thread_id, "duplicate": False}
    assert stored.subject == "ผ่านเว็บฮุก" and stored.source == "webhook"
    assert list(stored.contacts.all()) == [contact]

    again = post(box, message, token)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert InboundMessage.objects.count() == 1


def test_a_multipart_form_with_a_message_file_or_field(box, token):
    upload = SimpleUploadedFile("m.eml", mail(subject="As a file"), content_type=RFC822)
    as_file = Client().post(f"/api/v1/inbound-mail/{box.pk}", {"message": upload},
                            headers={"X-Mailbox-Token": token})
    assert as_file.status_code == 201, as_file.content
    as_field = Client().post(f"/api/v1/inbound-mail/{box.pk}",
                             {"message": mail(subject="As a field").decode()},
                             headers={"X-Mailbox-Token": token})
    assert as_field.status_code == 201, as_field.content
    assert sorted(InboundMessage.objects.values_list("subject", flat=True)) == [
        "As a field", "As a file"]


@pytest.mark.parametrize("sent", [None, "", "amity_mail_wrong", "' OR 1=1 --", "🔑" * 50])
def test_a_missing_or_wrong_token_is_refused(box, token, sent):
    response = post(box, mail(), sent)
    assert response.status_code == 401
    assert "X-Mailbox-Token" in response.json()["message"]
    assert not InboundMessage.objects.exists()


def test_another_mailboxs_token_or_an_unknown_mailbox_is_refused(box, token):
    other = mailbox_save(mailbox=Mailbox(), password="pw", data={
        "name": "Other", "host": "imap.example.com", "port": 993, "security": "ssl",
        "username": "u2", "folder": "INBOX", "active": True})
    mailbox_token_new(mailbox=other)
    assert post(other, mail(), token).status_code == 401
    response = Client().post("/api/v1/inbound-mail/999999", mail(), content_type=RFC822,
                             headers={"X-Mailbox-Token": token})
    assert response.status_code == 401


def test_a_new_token_replaces_the_old_one(box, token):
    new = mailbox_token_new(mailbox=box)
    assert post(box, mail(), token).status_code == 401
    assert post(box, mail(), new).status_code == 201


def test_bad_bodies_get_a_clear_answer(box, token, settings):
    empty = post(box, b"", token)
    assert empty.status_code == 400 and empty.json()["code"] == "empty_message"
    assert "message" in empty.json()["message"]
    no_field = Client().post(f"/api/v1/inbound-mail/{box.pk}", {"other": "x"},
                             headers={"X-Mailbox-Token": token})
    assert no_field.status_code == 400

    settings.MAIL_IN_MAX_MESSAGE_BYTES = 2000
    big = post(box, mail(body="x" * 5000), token)
    assert big.status_code == 413 and "limit is 2000" in big.json()["message"]

    junk = post(box, bytes(range(1, 256)) * 4, token)
    assert junk.status_code == 422
    assert "no mail headers" in junk.json()["message"]
    assert RejectedMessage.objects.get().source == "webhook"
    assert not InboundMessage.objects.exists()


def test_an_inactive_mailbox_refuses_posts(box, token):
    Mailbox.objects.filter(pk=box.pk).update(active=False)
    response = post(box, mail(), token)
    assert response.status_code == 403 and response.json()["code"] == "mailbox_inactive"


def test_the_answers_match_the_openapi_document(box, token, org):
    from openapi_core import OpenAPI
    from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

    from tests.conftest import api_client

    openapi = OpenAPI.from_dict(api_client(org.admin).get("/api/v1/openapi.json").json())
    for response in (post(box, mail(message_id="<c@x>"), token),
                     post(box, mail(message_id="<c@x>"), token),
                     post(box, mail(), "wrong"), post(box, b"", token),
                     post(box, b"\x01\x02binary", token)):
        openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request),
                                  DjangoOpenAPIResponse(response))


def test_a_message_larger_than_djangos_memory_cap_is_accepted(box, token, settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < 3_000_000
    big = mail(subject="Three megabytes", attachments=(
        ("scan.pdf", "application/pdf", b"%PDF-1.4\n" + b"0" * 3_000_000),))
    response = post(box, big, token)
    assert response.status_code == 201, response.content
    assert InboundMessage.objects.get().attachments.get().stored
