"""Polling a real Dovecot: every message stored once, whatever happens to the poller
or the server."""

import pytest
from django.db import DatabaseError
from django.urls import reverse

from amity.core.jobs import SCHEDULES
from amity.integrations import mailboxes
from amity.integrations.mail_in_tasks import mailbox_poll_task, mailboxes_poll
from amity.integrations.mailboxes import MailboxUnavailable, mailbox_poll, mailbox_test
from amity.integrations.models import InboundMessage, Mailbox
from tests.conftest import signed_in
from tests.integrations.mail_samples import mail, mailbox_for

pytestmark = pytest.mark.django_db


def subjects(mailbox) -> list[str]:
    return sorted(InboundMessage.objects.filter(mailbox=mailbox).values_list("subject",
                                                                             flat=True))


def test_poll_stores_each_message_once_and_a_repoll_adds_nothing(imap_server, media_root):
    imap_server.append(mail(subject="First"), mail(subject="Second"))
    box = mailbox_for(imap_server)

    report = mailbox_poll(box.pk)
    assert (report.stored, report.duplicates, report.rejected) == (2, 0, 0)
    assert subjects(box) == ["First", "Second"]

    assert mailbox_poll(box.pk).stored == 0
    imap_server.append(mail(subject="Third"))
    assert mailbox_poll(box.pk).stored == 1
    assert subjects(box) == ["First", "Second", "Third"]
    box.refresh_from_db()
    assert box.uid_validity == imap_server.uid_validity()
    assert box.last_uid == 3 and box.last_error == ""


def test_the_password_is_stored_encrypted_and_the_login_works(imap_server):
    box = mailbox_for(imap_server)
    assert imap_server.password not in box.password_encrypted
    assert "1 messages" not in mailbox_test(mailbox=box)
    assert "INBOX" in mailbox_test(mailbox=box)


def test_a_crash_mid_poll_neither_skips_nor_repeats(imap_server, media_root, monkeypatch):
    imap_server.append(*(mail(subject=f"Message {n}") for n in range(1, 6)))
    box = mailbox_for(imap_server)
    real_store = mailboxes.inbound_store

    def crash_on_third(raw, **kwargs):
        if b"Message 3" in raw:
            raise DatabaseError("the worker died here")
        return real_store(raw, **kwargs)

    monkeypatch.setattr(mailboxes, "inbound_store", crash_on_third)
    with pytest.raises(DatabaseError):
        mailbox_poll(box.pk)
    assert subjects(box) == ["Message 1", "Message 2"]

    monkeypatch.setattr(mailboxes, "inbound_store", real_store)
    mailbox_poll(box.pk)
    assert subjects(box) == [f"Message {n}" for n in range(1, 6)]


def test_a_poll_takes_a_batch_and_the_next_one_continues(imap_server, settings):
    settings.MAIL_IN_POLL_BATCH = 2
    imap_server.append(*(mail(subject=f"Message {n}") for n in range(1, 6)))
    box = mailbox_for(imap_server)
    assert [mailbox_poll(box.pk).stored for _ in range(4)] == [2, 2, 1, 0]


def test_a_new_uidvalidity_rereads_the_folder_without_duplicates(imap_server):
    first, second = mail(subject="Kept"), mail(subject="Also kept")
    imap_server.append(first, second)
    box = mailbox_for(imap_server)
    mailbox_poll(box.pk)

    imap_server.recreate_folder()  # a restored server numbers its messages anew
    imap_server.append(first, second, mail(subject="New after restore"))
    report = mailbox_poll(box.pk)
    assert (report.stored, report.duplicates) == (1, 2)
    assert subjects(box) == ["Also kept", "Kept", "New after restore"]


def test_server_down_raises_records_the_error_and_the_next_poll_gets_everything(
        imap_server, org):
    imap_server.append(mail(subject="Before the outage"))
    box = mailbox_for(imap_server)
    imap_server.stop()

    with pytest.raises(MailboxUnavailable):
        mailbox_poll_task.call(box.pk)
    box.refresh_from_db()
    assert "refused" in box.last_error
    page = signed_in(org.admin).get(reverse("mailbox_list"))
    assert box.last_error in page.content.decode()

    imap_server.start()
    imap_server.append(mail(subject="During the outage"))
    assert mailbox_poll_task.call(box.pk) == {"stored": 2, "duplicates": 0, "rejected": 0}
    box.refresh_from_db()
    assert box.last_error == "" and box.last_error_at is None
    assert subjects(box) == ["Before the outage", "During the outage"]


def test_a_wrong_password_is_reported_without_revealing_it(imap_server, org):
    box = mailbox_for(imap_server, password="not-the-password")
    with pytest.raises(MailboxUnavailable) as failure:
        mailbox_poll(box.pk)
    assert "not-the-password" not in str(failure.value)
    box.refresh_from_db()
    assert "Authentication failed" in box.last_error
    response = signed_in(org.admin).post(reverse("mailbox_test", args=[box.pk]))
    assert "Authentication failed" in response.content.decode()


def test_an_inactive_mailbox_is_not_polled(imap_server):
    imap_server.append(mail())
    box = mailbox_for(imap_server, active=False)
    assert mailbox_poll(box.pk).stored == 0
    assert mailboxes_poll.call() == 0


def test_the_poll_is_a_periodic_job_queueing_one_task_per_active_mailbox(imap_server):
    from django_tasks_db.models import DBTaskResult

    schedule = SCHEDULES["mail-in: poll mailboxes"]
    assert schedule.cron == "*/2 * * * *"
    assert schedule.task_path == mailboxes_poll.module_path
    mailbox_for(imap_server, name="One")
    mailbox_for(imap_server, name="Two")
    mailbox_for(imap_server, name="Off", active=False)
    assert mailboxes_poll.call() == 2
    queued = DBTaskResult.objects.filter(task_path=mailbox_poll_task.module_path)
    assert sorted(r.args_kwargs["args"][0] for r in queued) == sorted(
        Mailbox.objects.filter(active=True).values_list("pk", flat=True))


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_tls_mailboxes_verify_the_certificate_and_poll(imap_tls_server, settings, security):
    imap_tls_server.append(mail(subject="Over TLS"))
    port = imap_tls_server.tls_port if security == "ssl" else imap_tls_server.port
    box = mailbox_for(imap_tls_server, security=security, port=port)
    assert mailbox_poll(box.pk).stored == 1

    settings.MAIL_IN_CA_FILE = ""  # the self-signed certificate is no longer trusted
    with pytest.raises(MailboxUnavailable, match="CERTIFICATE_VERIFY_FAILED"):
        mailbox_test(mailbox=box)


def test_a_missing_folder_is_reported_by_the_poll_and_the_connection_test(imap_server, org):
    box = mailbox_for(imap_server, folder="Ventes/ขาย")
    with pytest.raises(MailboxUnavailable):
        mailbox_poll(box.pk)
    box.refresh_from_db()
    assert "The server said:" in box.last_error
    tested = signed_in(org.admin).post(reverse("mailbox_test", args=[box.pk]))
    assert "The server said:" in tested.content.decode()


def test_the_connection_test_says_when_the_server_is_down(imap_server, org):
    box = mailbox_for(imap_server)
    imap_server.stop()
    tested = signed_in(org.admin).post(reverse("mailbox_test", args=[box.pk]))
    assert "refused the connection" in tested.content.decode()


def test_the_password_never_reaches_the_log(imap_server, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    imap_server.append(mail())
    mailbox_poll(mailbox_for(imap_server).pk)
    wrong = mailbox_for(imap_server, name="Wrong", password="wrong-pa55word")
    with pytest.raises(MailboxUnavailable):
        mailbox_poll(wrong.pk)
    assert "LOGIN" in caplog.text  # imapclient logged the commands…
    assert imap_server.password not in caplog.text  # …without the secrets
    assert "wrong-pa55word" not in caplog.text
