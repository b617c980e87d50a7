"""Notification emails through a real SMTP server: one at once (sent once however often
its task runs), and the daily digest in each user's language and time zone."""

import datetime as dt

import pytest

from amity.collaboration.delivery import make_due_digests
from amity.collaboration.models import Digest, Notification
from amity.collaboration.services import notification_settings_save, notify
from amity.collaboration.tasks import make_digests, send_digest_email, send_notification_email
from amity.core.services import record_assign
from tests.collaboration.conftest import choose, queued, run_queued
from tests.conftest import make_account, make_user

UTC = dt.UTC


def parts(message) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def test_email_now_is_sent_once_however_often_the_task_runs(org, smtp_server):
    choose(org.teammate, record_assigned="email")
    account = make_account(org.owner, "Siam <Fresh> & Foods")
    record_assign(record=account, user=org.manager, owner=org.teammate)

    assert run_queued(send_notification_email) == [True]
    assert run_queued(send_notification_email) == [False]  # a retry or second worker

    [mail] = smtp_server.received
    notification = Notification.objects.get(recipient=org.teammate)
    assert mail.rcpt_tos == ["teammate@example.com"]
    assert mail.message["Subject"] == "manager assigned Siam <Fresh> & Foods to you"
    text, html = parts(mail.message)
    assert "Siam <Fresh> & Foods" in text  # plain text is not HTML-escaped
    assert "Siam &lt;Fresh&gt; &amp; Foods" in html and "<Fresh>" not in html
    assert f"http://localhost:8000/notifications/{notification.pk}/open/" in text
    assert notification.emailed_at is not None


def test_a_mail_server_outage_is_retried_and_nothing_is_lost(org, smtp_server):
    choose(org.teammate, automation="email")
    [notification] = notify(recipients=[org.teammate], kind="automation", title="Retry me")
    smtp_server.stop()
    with pytest.raises(OSError):
        send_notification_email.call(notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None  # not marked: the retry sends it
    smtp_server.start()
    assert send_notification_email.call(notification.pk) is True
    assert [m.message["Subject"] for m in smtp_server.received] == ["Retry me"]


def test_a_header_injection_attempt_stays_in_the_subject(org, smtp_server):
    choose(org.owner, automation="email")
    notify(recipients=[org.owner], kind="automation",
           title="Hello\r\nBcc: victim@example.com\r\n\r\nbody")
    run_queued(send_notification_email)
    [mail] = smtp_server.received
    assert mail.rcpt_tos == ["owner@example.com"]
    assert mail.message["Bcc"] is None
    assert mail.message["Subject"] == "Hello Bcc: victim@example.com body"


@pytest.fixture
def readers(org):
    """Three users on the digest for automation notices, in three languages and zones."""
    people = {
        "somchai": ("th", "Asia/Bangkok", "buddhist"),
        "parisa": ("fa", "Asia/Tehran", "persian"),
        "wei": ("zh-hans", "Asia/Shanghai", "gregorian"),
    }
    users = {}
    for name, (language, zone, calendar) in people.items():
        user = users[name] = make_user(name, "sales_rep", org.east, language=language,
                                       time_zone=zone, calendar=calendar)
        notification_settings_save(user=user, channels={"automation": "digest"},
                                   digest_time=dt.time(8, 0))
    notify(recipients=[users["somchai"]], kind="automation", title="ลูกค้า สยาม ติดต่อกลับ")
    notify(recipients=[users["somchai"]], kind="automation", title="ใบเสนอราคา 🎉 อนุมัติแล้ว")
    notify(recipients=[users["parisa"]], kind="automation", title="مشتری جدید: شرکت آریا")
    notify(recipients=[users["wei"]], kind="automation", title="新客户：上海贸易有限公司")
    return users


def send_due_digests(now: dt.datetime) -> int:
    """Run the digest job at `now`, then the email tasks it enqueued (as workers would);
    how many digests it made."""
    made = make_due_digests(now)
    run_queued(send_digest_email)
    return made


def by_recipient(smtp_server) -> dict[str, list]:
    found: dict[str, list] = {}
    for mail in smtp_server.received:
        found.setdefault(mail.rcpt_tos[0].split("@")[0], []).append(mail.message)
    return found


def test_the_digest_goes_out_once_a_day_in_each_users_language(readers, smtp_server):
    # 01:00 UTC: 08:00 in Bangkok (due), 04:30 in Tehran and 09:00 in Shanghai (due).
    assert send_due_digests(now=dt.datetime(2026, 12, 2, 1, 0, tzinfo=UTC)) == 2
    mails = by_recipient(smtp_server)
    assert sorted(mails) == ["somchai", "wei"]

    [thai] = mails["somchai"]
    assert thai["Content-Language"] == "th"
    text, html = parts(thai)
    assert "ลูกค้า สยาม ติดต่อกลับ" in text and "ใบเสนอราคา 🎉 อนุมัติแล้ว" in text
    assert '<html lang="th" dir="ltr">' in html
    assert "Your notifications" not in text  # the heading is in Thai
    assert "2569" in text  # dates in the Thai Buddhist era (2026 + 543)

    [chinese] = mails["wei"]
    assert chinese["Content-Language"] == "zh-hans"
    assert "新客户：上海贸易有限公司" in parts(chinese)[0]
    assert "Your notifications" not in parts(chinese)[0]

    # A second run the same day, even after Tehran's time has come, sends Bangkok nothing.
    assert send_due_digests(now=dt.datetime(2026, 12, 2, 5, 0, tzinfo=UTC)) == 1
    [persian] = by_recipient(smtp_server)["parisa"]
    text, html = parts(persian)
    assert persian["Content-Language"] == "fa"
    assert "مشتری جدید: شرکت آریا" in text
    assert '<html lang="fa" dir="rtl">' in html
    assert "۱" in persian["Subject"]  # the count in Persian digits

    assert send_due_digests(now=dt.datetime(2026, 12, 2, 23, 0, tzinfo=UTC)) == 0
    assert len(smtp_server.received) == 3
    assert Digest.objects.count() == 3
    assert not Notification.objects.filter(channel="digest", digest__isnull=True).exists()


def test_a_notification_after_the_days_digest_waits_for_the_next_day(readers, smtp_server):
    send_due_digests(now=dt.datetime(2026, 12, 2, 1, 0, tzinfo=UTC))
    notify(recipients=[readers["somchai"]], kind="automation", title="พรุ่งนี้")
    send_due_digests(now=dt.datetime(2026, 12, 2, 16, 0, tzinfo=UTC))  # 23:00 in Bangkok
    assert len(by_recipient(smtp_server)["somchai"]) == 1
    # The next morning in Bangkok.
    assert send_due_digests(now=dt.datetime(2026, 12, 3, 1, 0, tzinfo=UTC)) == 1
    last = smtp_server.received[-1]
    assert "พรุ่งนี้" in parts(last.message)[0]
    assert "ลูกค้า สยาม" not in parts(last.message)[0]  # sent the day before


def test_the_periodic_job_makes_the_due_digests_once(readers, smtp_server):
    # The real clock: whoever's 08:00 has passed today gets theirs, and only once.
    made = make_digests.call()
    assert make_digests.call() == 0
    assert sum(run_queued(send_digest_email)) == made
    assert sum(run_queued(send_digest_email)) == 0  # a retried task sends nothing again
    assert len(smtp_server.received) == made


def test_a_mail_server_outage_is_retried_and_nothing_is_lost_or_repeated(readers,
                                                                          smtp_server):
    smtp_server.stop()
    assert make_due_digests(dt.datetime(2026, 12, 2, 1, 0, tzinfo=UTC)) == 2
    for args in queued(send_digest_email):
        with pytest.raises(OSError):
            send_digest_email.call(*args)
    assert Digest.objects.filter(sent_at__isnull=True).count() == 2  # kept for the retry
    assert make_due_digests(dt.datetime(2026, 12, 2, 1, 30, tzinfo=UTC)) == 0
    smtp_server.start()
    assert sum(run_queued(send_digest_email)) == 2
    assert sorted(by_recipient(smtp_server)) == ["somchai", "wei"]
