"""Channel fixtures: a local HTTP server, attachments in a temporary media root; for email
out, contacts who may be emailed, templates, and running the queued
send tasks the way a worker does."""

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from amity.customers.services import consent_record
from amity.integrations import webhooks
from amity.integrations.email_templates import template_save
from amity.integrations.mailboxes import mailbox_save
from amity.integrations.models import Mailbox
from amity.integrations.tasks import send_outbound_email
from tests.conftest import make_contact
from tests.integrations.http_server import LocalServer


@pytest.fixture
def local_server():
    """A real HTTP server on 127.0.0.1; queue `Answer`s on `.answers`."""
    server = LocalServer().start()
    yield server
    server.stop()


@pytest.fixture
def box() -> Mailbox:
    """A mailbox mail reaches by the provider webhook (never polled in the test)."""
    return mailbox_save(mailbox=Mailbox(), password="pw", data={
        "name": "Provider", "host": "imap.example.com", "port": 993, "security": "ssl",
        "username": "u", "folder": "INBOX", "active": True})


@pytest.fixture(autouse=True)
def fresh_subscription_memo():
    # Each test starts without another test's memo of which event kinds are wanted.
    webhooks.forget_subscriptions()
    yield
    webhooks.forget_subscriptions()

@pytest.fixture(autouse=True)
def _attachments_in_a_temporary_media_root(media_root):
    """Stored attachments go to the test's own directory, never to var/media."""
    return media_root


WELCOME = {
    "en": {"subject": "Welcome {{ contact.given_name }}",
           "html_body": "<p>Hello {{ contact.given_name }} from {{ account.name|default('you') }}"
                        "</p>{% if contact.job_title %}<p>{{ contact.job_title }}</p>"
                        "{% endif %}<p>{{ sender.name }}</p>"},
    "th": {"subject": "ยินดีต้อนรับคุณ{{ contact.given_name }}",
           "html_body": "<p>สวัสดีคุณ{{ contact.given_name }}</p>"},
    "fa": {"subject": "خوش آمدید {{ contact.given_name }}",
           "html_body": "<p dir=\"rtl\">سلام {{ contact.given_name }}</p>",
           "text_body": "سلام {{ contact.given_name }} (متن ساده)"},
    "zh-hans": {"subject": "欢迎{{ contact.family_name }}{{ contact.given_name }}",
                "html_body": "<p>你好，{{ contact.family_name }}{{ contact.given_name }}</p>"},
}


def emailable(user, *, email: str = "somchai@example.com", **data):
    """A contact with an address and email consent in force."""
    contact = make_contact(user, email=email, **data)
    consent_record(contact=contact, user=user, channel="email", status="granted",
                   method="web_form")
    return contact


def run_queued_sends() -> list[str]:
    """Run every ready send task as a worker would; their outcomes ("SUCCESSFUL", …)."""
    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id="tests",
                    excluded_queue_names=[])
    outcomes = []
    for row in DBTaskResult.objects.ready().filter(
            task_path=send_outbound_email.module_path).order_by("enqueued_at", "id"):
        row.claim("tests")
        worker.run_task(row)
        row.refresh_from_db()
        outcomes.append(row.status)
    return outcomes


@pytest.fixture
def welcome(org):
    return template_save(actor=org.admin, template=None, name="Welcome", default_language="en",
                         versions=WELCOME)
