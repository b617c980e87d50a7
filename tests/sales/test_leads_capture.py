"""Leads from a web form Amity serves (spam trap, rate limit, CORS), from import and
from inbound email."""

import io

import openpyxl
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from amity.events.models import Event
from amity.integrations.inbound_mail import inbound_store
from amity.integrations.models import Mailbox
from amity.sales.lead_capture import HONEYPOT, STAMP, form_stamp
from amity.sales.models import Lead, LeadForm
from tests.conftest import make_contact, signed_in
from tests.integrations.mail_samples import mail
from tests.sales.lead_fixtures import make_lead

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    cache.clear()
    settings.LEAD_FORM_MIN_SECONDS = 0  # the too-quick test sets its own
    yield
    cache.clear()


@pytest.fixture
def lead_form(org) -> LeadForm:
    form = LeadForm(name="Contact us", owner=org.owner, team=org.east, source="Website",
                    fields=["given_name", "family_name", "email", "company", "employees"],
                    required=["email"], thank_you="ขอบคุณครับ",
                    allowed_origins="https://www.example.com")
    form.full_clean()
    form.save()
    return form


def send(lead_form: LeadForm, client: Client | None = None, **fields):
    data = {"family_name": "Jaidee", "email": "somchai@example.com",
            STAMP: form_stamp(lead_form), **fields}
    return (client or Client(enforce_csrf_checks=True)).post(
        reverse("lead_public_form", args=[lead_form.token]), data)


def test_a_visitor_sends_the_form_and_a_lead_is_made_for_its_owner(org, lead_form):
    page = Client().get(reverse("lead_public_form", args=[lead_form.token]))
    assert page.status_code == 200 and 'name="amity_ts"' in page.content.decode()
    response = send(lead_form, given_name="สมชาย", company="ร้านดี", employees="12")
    assert response.status_code == 200 and "ขอบคุณครับ" in response.content.decode()
    lead = Lead.objects.get()
    assert (lead.given_name, lead.company, lead.employees) == ("สมชาย", "ร้านดี", 12)
    assert lead.owner == org.owner and lead.team == org.east and lead.source == "Website"
    assert Event.objects.for_subject(lead).filter(kind="lead.captured").exists()


def test_bad_input_is_shown_again_field_by_field_and_nothing_is_stored(lead_form):
    response = send(lead_form, family_name="", email="not-an-email", employees="many",
                    given_name="王" * 101)
    assert response.status_code == 422
    body = response.content.decode()
    for field in ("family_name", "email", "employees", "given_name"):
        assert f'data-field="{field}"' in body, field
    assert 'value="not-an-email"' in body  # what was typed is kept
    assert not Lead.objects.exists()


def test_the_honeypot_thanks_the_bot_and_stores_nothing(lead_form):
    response = send(lead_form, **{HONEYPOT: "http://spam.example"})
    assert response.status_code == 200 and "ขอบคุณครับ" in response.content.decode()
    assert not Lead.objects.exists()


def test_a_form_sent_too_quickly_or_without_a_valid_stamp_is_asked_again(settings, lead_form):
    settings.LEAD_FORM_MIN_SECONDS = 3600
    response = send(lead_form)
    assert response.status_code == 422 and "too quickly" in response.content.decode()
    settings.LEAD_FORM_MIN_SECONDS = 0
    for stamp in ("", "forged:stamp", form_stamp(LeadForm(token="another"))):
        response = send(lead_form, **{STAMP: stamp})
        assert response.status_code == 422, stamp
        assert 'value="somchai@example.com"' in response.content.decode()
    assert not Lead.objects.exists()


def test_posts_are_rate_limited_per_address(settings, lead_form):
    settings.LEAD_FORM_RATE = "2/h"
    assert send(lead_form).status_code == 200
    assert send(lead_form, email="b@example.com").status_code == 200
    limited = send(lead_form, email="c@example.com")
    assert limited.status_code == 429 and "Too many" in limited.content.decode()
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert send(lead_form, client=other, email="d@example.com").status_code == 200
    assert Lead.objects.count() == 3


def test_cors_answers_only_the_allowed_origins(lead_form):
    url = reverse("lead_public_stamp", args=[lead_form.token])
    allowed = Client().get(url, headers={"Origin": "https://www.example.com"})
    assert allowed["Access-Control-Allow-Origin"] == "https://www.example.com"
    assert allowed.json()["stamp"]
    other = Client().get(url, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other
    preflight = Client().options(reverse("lead_public_form", args=[lead_form.token]),
                                 headers={"Origin": "https://www.example.com"})
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "https://www.example.com"
    page = Client().get(reverse("lead_public_form", args=[lead_form.token]))
    assert "frame-ancestors 'self' https://www.example.com" in page["Content-Security-Policy"]


def test_a_form_whose_owner_left_says_so_and_stores_nothing(org, lead_form):
    org.owner.is_active = False
    org.owner.save()
    response = send(lead_form)
    assert response.status_code == 503 and "cannot take messages" in response.content.decode()
    assert not Lead.objects.exists()


def test_an_inactive_or_unknown_form_is_not_found(lead_form):
    assert Client().get(reverse("lead_public_form", args=["nope"])).status_code == 404
    lead_form.active = False
    lead_form.save()
    assert send(lead_form).status_code == 404


def test_an_administrator_makes_a_form_and_gets_the_snippet(org):
    client = signed_in(org.admin)
    response = client.post(reverse("lead_form_create"), {
        "name": "Demo request", "fields": ["given_name", "email", "phone"],
        "required": ["email"], "owner": org.owner.pk, "thank_you": "Thanks!",
        "allowed_origins": "https://shop.example.th", "active": "on"})
    lead_form = LeadForm.objects.get()
    assert response.status_code == 302
    assert lead_form.fields == ["given_name", "family_name", "email", "phone"]
    assert lead_form.required == ["email", "family_name"]
    page = client.get(reverse("lead_form_edit", args=[lead_form.pk])).content.decode()
    assert f"/f/{lead_form.token}" in page and "&lt;form" in page
    bad = client.post(reverse("lead_form_create"), {
        "name": "Bad", "fields": ["email"], "owner": org.owner.pk,
        "allowed_origins": "shop.example.th/path"})
    assert bad.status_code == 422 and 'data-field="allowed_origins"' in bad.content.decode()
    # The owner of the leads must be allowed to create them.
    bad = client.post(reverse("lead_form_create"), {
        "name": "Bad", "fields": ["email"], "owner": org.viewer.pk})
    assert bad.status_code == 422 and 'data-field="owner"' in bad.content.decode()
    assert LeadForm.objects.count() == 1
    assert signed_in(org.owner).get(reverse("lead_form_list")).status_code == 404


CSV = ("First name,Last name,Company,Email,Phone,Country,Employees\n"
       "สมชาย,ใจดี,ร้านดี,somchai@example.com,081 234 5678,TH,12\n"
       "小明,王,上海贸易,WANG@example.cn,,CN,\n"
       "رضا,محمدی,,reza@example.ir,,IR,3\n")


def upload(client, content: bytes, name: str):
    return client.post(reverse("lead_import"),
                       {"file": SimpleUploadedFile(name, content)})


def test_a_csv_file_of_leads_is_imported(org):
    response = upload(signed_in(org.owner), CSV.encode("utf-8"), "leads.csv")
    assert response.status_code == 302
    leads = {lead.family_name: lead for lead in Lead.objects.all()}
    assert set(leads) == {"ใจดี", "王", "محمدی"}
    assert leads["ใจดี"].phone_e164 == "+66812345678" and leads["ใจดี"].employees == 12
    assert leads["王"].email == "wang@example.cn" and leads["王"].company == "上海贸易"
    assert all(lead.owner == org.owner for lead in leads.values())


def test_an_xlsx_file_with_a_bad_row_imports_nothing_and_names_the_row(org):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Last name", "Email", "Employees"])
    sheet.append(["Good", "good@example.com", 5])
    sheet.append(["Bad", "no-at-sign", "lots"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(signed_in(org.owner), buffer.getvalue(), "leads.xlsx")
    assert response.status_code == 422
    body = response.content.decode()
    assert "Row 3" in body and "mail" in body.lower()
    assert not Lead.objects.exists()


def test_a_file_without_a_name_column_or_not_a_table_is_refused(org):
    client = signed_in(org.owner)
    assert upload(client, b"Email\na@example.com\n", "leads.csv").status_code == 422
    assert upload(client, b"\x00\x01\x02binary", "leads.csv").status_code == 422
    assert not Lead.objects.exists()
    assert upload(signed_in(org.viewer), CSV.encode(), "leads.csv").status_code == 403


def mailbox(org, **extra) -> Mailbox:
    return Mailbox.objects.create(name="Sales inbox", host="imap.example.com",
                                  username="sales", **extra)


def test_mail_from_an_unknown_sender_creates_a_lead_with_the_mail_on_its_timeline(org):
    box = mailbox(org, create_leads=True, lead_owner=org.owner)
    raw = mail(sender="Somchai Jaidee <Somchai@Example.com>", subject="Price of forklifts",
               body="Hello, we need 3 forklifts.")
    stored = inbound_store(raw, mailbox=box)
    lead = Lead.objects.get()
    assert (lead.given_name, lead.family_name, lead.email) == \
        ("Somchai", "Jaidee", "somchai@example.com")
    assert "3 forklifts" in lead.description and lead.owner == org.owner
    received = Event.objects.for_subject(lead).get(kind="email.received")
    assert received.payload["message"] == stored.message.pk
    # Who sees the lead may read its mail (the link on its timeline); others may not.
    url = reverse("inbound_message", args=[stored.message.pk])
    assert "3 forklifts" in signed_in(org.teammate).get(url).content.decode()
    assert signed_in(org.outsider).get(url).status_code == 404
    # The next mail from them is logged on the same lead, not a second one.
    inbound_store(mail(sender="somchai@example.com", subject="Again"), mailbox=box)
    assert Lead.objects.count() == 1
    assert Event.objects.for_subject(lead).filter(kind="email.received").count() == 2


def test_mail_from_a_contact_or_to_a_mailbox_without_the_option_makes_no_lead(org):
    make_contact(org.owner, "Known", email="known@example.com")
    box = mailbox(org, create_leads=True, lead_owner=org.owner)
    inbound_store(mail(sender="Known <known@example.com>"), mailbox=box)
    inbound_store(mail(sender="Colleague <Teammate@example.com>"), mailbox=box)  # a user
    quiet = mailbox(org)
    inbound_store(mail(sender="Stranger <stranger@example.com>"), mailbox=quiet)
    assert not Lead.objects.exists()


def test_mail_from_a_known_lead_is_logged_even_without_the_option(org):
    lead = make_lead(org.owner, email="lead@example.com")
    inbound_store(mail(sender="王小明 <lead@example.com>"), mailbox=mailbox(org))
    assert Event.objects.for_subject(lead).filter(kind="email.received").exists()


def test_a_sender_with_a_chinese_name_becomes_a_family_name(org):
    box = mailbox(org, create_leads=True, lead_owner=org.owner)
    inbound_store(mail(sender="王小明 <wang@example.cn>"), mailbox=box)
    assert Lead.objects.get().family_name == "王小明"


def test_the_mailbox_option_needs_an_owner_for_its_leads(org):
    client = signed_in(org.admin)
    base = {"name": "Sales inbox", "host": "imap.example.com", "port": "993",
            "security": "ssl", "username": "sales", "folder": "INBOX", "active": "on",
            "password": "secret", "create_leads": "on"}
    refused = client.post(reverse("mailbox_create"), base)
    assert refused.status_code == 422 and 'data-field="lead_owner"' in refused.content.decode()
    assert client.post(reverse("mailbox_create"),
                       {**base, "lead_owner": org.owner.pk}).status_code == 302
    assert Mailbox.objects.get().lead_owner == org.owner
