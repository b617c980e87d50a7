"""A worker killed by SIGKILL in the middle of a send of many messages, against a real SMTP
server: a second worker finishes the send, every recipient gets the message, and at most
the one message in flight at the kill arrives twice (docs/email.md)."""

import signal
from collections import Counter
from pathlib import Path

import pytest

from tests.mail_server import SmtpServer
from tests.processes import django_script, start_worker, stop, wait_for

pytestmark = pytest.mark.xdist_group("processes")

COUNT = 120

# argv: how many contacts. An administrator, a template, contacts who consented to email,
# and one bulk send: one message row and one durable task per contact.
QUEUE_SEND = """
import json, sys
from amity.core.services import record_create
from amity.customers.models import Contact
from amity.customers.services import consent_record
from amity.integrations.email_templates import template_save
from amity.integrations.mail_out import email_send_bulk
from amity.org.models import Role, User
admin = User.objects.create(username="admin", email="admin@example.com",
                            role=Role.objects.get(key="administrator"))
template = template_save(actor=admin, template=None, name="Hello", default_language="en",
                         versions={"en": {"subject": "Hello {{ contact.given_name }}",
                                          "html_body": "<p>Hi {{ contact.given_name }}</p>"}})
ids = []
for number in range(int(sys.argv[1])):
    contact = record_create(model=Contact, user=admin, data={
        "given_name": f"Guest{number}", "family_name": "กขค",
        "email": f"guest{number}@example.com"})
    consent_record(contact=contact, user=admin, channel="email", status="granted",
                   method="web_form")
    ids.append(contact.pk)
report = email_send_bulk(user=admin, contacts=ids, template=template, idempotency_key="crash")
print(json.dumps({"queued": len(report.queued), "skipped": len(report.skipped)}))
"""

STATUSES = """
import json
from collections import Counter
from amity.integrations.models import OutboundEmail
print(json.dumps(Counter(OutboundEmail.objects.values_list("status", flat=True))))
"""


@pytest.fixture
def slow_smtp():
    server = SmtpServer(delay=0.02)  # slow enough that the kill lands mid-send
    server.start()
    yield server
    server.stop()


def test_a_killed_worker_skips_no_recipient_and_repeats_at_most_one(process_env,
                                                                    tmp_path: Path, slow_smtp):
    queued = django_script(process_env, QUEUE_SEND, str(COUNT))
    assert queued == {"queued": COUNT, "skipped": 0}
    smtp = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": slow_smtp.host, "EMAIL_PORT": str(slow_smtp.port)}
    first = start_worker({**process_env, **smtp}, tmp_path / "first.log", "--no-scheduler")
    second = None
    try:
        wait_for(lambda: len(slow_smtp.received) >= COUNT // 4, "the first messages")
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed_after = len(slow_smtp.received)
        second = start_worker({**process_env, **smtp}, tmp_path / "second.log", "--no-scheduler",
                              AMITY_WORKER_LEASE_SECONDS="2")
        wait_for(lambda: len({r.rcpt_tos[0] for r in slow_smtp.received}) == COUNT,
                 "every recipient's message", timeout=240)
        wait_for(lambda: django_script(process_env, STATUSES) == {"sent": COUNT},
                 "every message to be marked sent")
    finally:
        for process in (first, second):
            if process is not None:
                stop(process)
    logs = "".join((tmp_path / name).read_text() for name in ("first.log", "second.log"))

    assert killed_after < COUNT, "the kill came after the send had finished"
    arrived = Counter(received.rcpt_tos[0] for received in slow_smtp.received)
    assert set(arrived) == {f"guest{number}@example.com" for number in range(COUNT)}, logs
    repeated = {address: n for address, n in arrived.items() if n > 1}
    assert len(repeated) <= 1 and all(n == 2 for n in repeated.values()), (repeated, logs)
    for received in slow_smtp.received:  # each one personalised for its recipient
        number = received.rcpt_tos[0].removeprefix("guest").partition("@")[0]
        assert received.message["Subject"].strip() == f"Hello Guest{number}"
