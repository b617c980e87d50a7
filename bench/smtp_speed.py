"""Email sending speed: personalised messages per second through Amity's send path
against a plain smtplib loop sending the same number of messages to the same server.

An aiosmtpd server runs in a separate process (so it does not share this process's GIL)
and counts what it accepts. Amity's path is timed in two steps, as they run in
production: `email_send_bulk` (check consent, render each contact's language version,
store the row and enqueue its task, per contact) and each queued message's send task
body (`deliver`: claim the row, SMTP, mark sent and publish the timeline event) run one
after the other, as one worker runs them; the queue's own bookkeeping is measured by
the queue benchmark, not here. The limits: smtplib sending the same message, rendered
once, over one connection, and over a new connection per message (what one task per
message costs at least).

    .venv/bin/python bench/smtp_speed.py [--messages 200] [--runs 3]

Without DATABASE_URL it uses a temporary SQLite database; with it (a database of its
own, e.g. postgres://postgres@127.0.0.1:5432/amity_bench_mail) it migrates that one.
"""

import argparse
import os
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage

ARGS = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ARGS.add_argument("--messages", type=int, default=200)
ARGS.add_argument("--runs", type=int, default=3)
OPTIONS = ARGS.parse_args()

if not os.environ.get("DATABASE_URL"):
    os.environ["AMITY_DATA_DIR"] = tempfile.mkdtemp(prefix="amity-smtp-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amity.settings")
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from amity.customers.models import Consent, Contact  # noqa: E402
from amity.integrations.email_templates import template_save  # noqa: E402
from amity.integrations.mail_delivery import deliver  # noqa: E402
from amity.integrations.mail_out import email_send_bulk  # noqa: E402
from amity.integrations.models import EmailTemplate, OutboundEmail  # noqa: E402
from amity.integrations.tasks import send_outbound_email  # noqa: E402
from amity.org.models import Role, Team, User  # noqa: E402

SERVER = """
import asyncio, sys
from aiosmtpd.controller import Controller
class Count:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"
controller = Controller(Count(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
"""
NAMES = [("สมชาย", "ใจดี", "th"), ("مریم", "احمدی", "fa"), ("伟", "王", "zh-Hans"),
         ("Anna", "Smith", "en")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(port)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready"
    return process, port


def setup(count: int) -> tuple[User, EmailTemplate, list[int]]:
    call_command("migrate", verbosity=0)
    team, _ = Team.objects.get_or_create(name="Mail bench")
    user, _ = User.objects.get_or_create(
        username="mail-bench", defaults={"role": Role.objects.get(key="administrator"),
                                         "team": team, "email": "bench@bench.example"})
    versions = {
        "en": {"subject": "Hello {{ contact.given_name }}",
               "html_body": "<p>Dear {{ contact.full_name }},</p><p>{% if account.name %}"
                            "Thanks from {{ account.name }}{% else %}Thanks{% endif %}</p>"},
        "th": {"subject": "สวัสดีคุณ{{ contact.given_name }}",
               "html_body": "<p>เรียนคุณ{{ contact.full_name }}</p>"},
        "fa": {"subject": "سلام {{ contact.given_name }}",
               "html_body": "<p>{{ contact.full_name }} عزیز</p>"},
        "zh-hans": {"subject": "{{ contact.full_name }}，您好",
                    "html_body": "<p>尊敬的{{ contact.full_name }}</p>"},
    }
    template = EmailTemplate.objects.filter(name="Bench").first()
    template = template_save(actor=user, template=template, name="Bench",
                             default_language="en", versions=versions)
    Contact.objects.filter(owner=user).delete(force_policy=0)  # HARD_DELETE
    contacts = Contact.objects.bulk_create([
        Contact(given_name=NAMES[i % 4][0], family_name=NAMES[i % 4][1],
                language=NAMES[i % 4][2], email=f"bench{i}@example.com", owner=user, team=team)
        for i in range(count)])
    Consent.objects.bulk_create([Consent(contact=c, channel="email", status="granted",
                                         method="import") for c in contacts])
    return user, template, [c.pk for c in contacts]


def amity_run(user, template, ids: list[int], run: int) -> tuple[float, float]:
    OutboundEmail.objects.all().delete()
    DBTaskResult.objects.filter(task_path=send_outbound_email.module_path).delete()
    started = time.perf_counter()
    report = email_send_bulk(user=user, contacts=ids, template=template,
                             idempotency_key=f"bench-{run}")
    queued = time.perf_counter()
    assert len(report.queued) == len(ids), report.skipped[:3]
    for task in DBTaskResult.objects.filter(task_path=send_outbound_email.module_path):
        deliver(task.args_kwargs["args"][0])
    sent = time.perf_counter()
    assert OutboundEmail.objects.filter(status="sent").count() == len(ids)
    return queued - started, sent - queued


def smtplib_run(port: int, count: int, *, reuse: bool) -> float:
    message = EmailMessage()
    message["From"], message["Subject"] = "bench@bench.example", "Hello Anna"
    message.set_content("Dear Anna Smith,\nThanks\n")
    message.add_alternative("<p>Dear Anna Smith,</p><p>Thanks</p>", subtype="html")
    started = time.perf_counter()
    server = smtplib.SMTP("127.0.0.1", port) if reuse else None
    for i in range(count):
        if not reuse:
            server = smtplib.SMTP("127.0.0.1", port)
        del message["To"]
        message["To"] = f"bench{i}@example.com"
        server.send_message(message)
        if not reuse:
            server.quit()
    if reuse:
        server.quit()
    return time.perf_counter() - started


def main() -> None:
    count = OPTIONS.messages
    process, port = start_server()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        user, template, ids = setup(count)
        queue_times, send_times, reuse_times, fresh_times = [], [], [], []
        for run in range(OPTIONS.runs):
            queue_s, send_s = amity_run(user, template, ids, run)
            queue_times.append(queue_s)
            send_times.append(send_s)
            reuse_times.append(smtplib_run(port, count, reuse=True))
            fresh_times.append(smtplib_run(port, count, reuse=False))
    finally:
        process.stdin.close()
        process.wait(timeout=10)
    rate = lambda seconds: count / statistics.median(seconds)  # noqa: E731
    total = [q + s for q, s in zip(queue_times, send_times, strict=True)]
    limit = rate(reuse_times)
    print(f"{count} personalised messages (en/th/fa/zh-Hans), medians of {OPTIONS.runs} runs, "
          f"database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"  Amity queue (render, store, enqueue): {rate(queue_times):8.0f} msg/s")
    print(f"  Amity send tasks (one worker):         {rate(send_times):8.0f} msg/s")
    print(f"  Amity end to end:                      {rate(total):8.0f} msg/s "
          f"({rate(total) / limit:.0%} of the limit)")
    print(f"  smtplib, one connection (the limit):   {limit:8.0f} msg/s")
    print(f"  smtplib, a connection per message:     {rate(fresh_times):8.0f} msg/s")
    database = f"DATABASE_URL={os.environ['DATABASE_URL']} " \
        if os.environ.get("DATABASE_URL") else ""
    print(f"Repeat: {database}.venv/bin/python bench/smtp_speed.py --messages {count} "
          f"--runs {OPTIONS.runs}")


if __name__ == "__main__":
    main()
