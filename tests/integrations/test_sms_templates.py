"""SMS templates: one text per language with variables, checked like email templates,
sent in each contact's language from the contact page, the API and automation rules."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from amity.automation.models import RuleRun
from amity.integrations.models import SmsMessage, SmsTemplate
from amity.integrations.sms_templates import render_sms, sms_send_template, sms_template_save
from tests.automation.helpers import make_rule, run_queued
from tests.conftest import api_client, signed_in
from tests.integrations.test_sms import texting

GREETING = {
    "en": {"body": "Hi {{ contact.given_name }}, your order is ready. {{ sender.name }}"},
    "th": {"body": "สวัสดีคุณ{{ contact.given_name }} สินค้าพร้อมแล้ว"},
    "fa": {"body": "سلام {{ contact.given_name }}{% if contact.city %} از {{ contact.city }}"
                   "{% endif %}"},
    "zh-hans": {"body": "{{ contact.family_name }}{{ contact.given_name }}您好，订单已备好"},
}


@pytest.fixture
def greeting(org) -> SmsTemplate:
    return sms_template_save(actor=org.admin, template=None, name="Order ready",
                             default_language="en", versions=GREETING)


@pytest.mark.parametrize(("language", "given", "city", "text"), [
    ("th", "สมชาย", "", "สวัสดีคุณสมชาย สินค้าพร้อมแล้ว"),
    ("th-TH", "สมชาย", "", "สวัสดีคุณสมชาย สินค้าพร้อมแล้ว"),
    ("fa", "مریم", "شیراز", "سلام مریم از شیراز"),
    ("zh-Hans", "伟", "", "王伟您好，订单已备好"),
    ("de", "Anna", "", "Hi Anna, your order is ready."),  # no German version: the default
])
def test_each_contact_reads_the_version_in_their_language(org, greeting, language, given,
                                                         city, text):
    contact = texting(org.owner, given_name=given, family_name="王", language=language,
                      city=city)
    assert render_sms(template=greeting, contact=contact, user=org.owner).startswith(text)


@pytest.mark.parametrize(("versions", "field", "words"), [
    ({"en": {"body": "Hi {{ contact.password }}"}}, "versions.en.body", "Line 1"),
    ({"en": {"body": "ok"}, "th": {"body": "a\n{{ contact.__class__ }}"}}, "versions.th.body",
     "Line 2"),
    ({"en": {"body": "{% for x in contact %}{% endfor %}"}}, "versions.en.body", "Line 1"),
    ({"en": {"body": "bell \x07"}}, "versions.en.body", "U+0007"),
    ({"en": {"body": "ก" * 1601}}, "versions.en.body", "1600"),
    ({"th": {"body": "สวัสดี"}}, "versions.en.body", "default language"),
    ({"en": {"body": "x"}, "klingon": {"body": "x"}}, "versions.klingon", "Choose one of"),
])
def test_bad_templates_are_refused_naming_the_version(org, versions, field, words):
    with pytest.raises(ValidationError) as caught:
        sms_template_save(actor=org.admin, template=None, name="Bad", default_language="en",
                          versions=versions)
    assert words in " ".join(caught.value.message_dict[field])
    assert not SmsTemplate.objects.exists()


def test_only_administrators_write_templates(org):
    with pytest.raises(PermissionDenied):
        sms_template_save(actor=org.manager, template=None, name="Mine",
                          default_language="en", versions={"en": {"body": "x"}})


def test_a_text_that_grows_past_ten_parts_once_filled_in_is_refused(org):
    long_name = sms_template_save(actor=org.admin, template=None, name="Long",
                                  default_language="en",
                                  versions={"en": {"body": "ก" * 600 + "{{ contact.job_title }}"}})
    contact = texting(org.owner, job_title="ข" * 100)
    with pytest.raises(ValidationError) as caught:
        sms_send_template(user=org.owner, contact=contact, template=long_name,
                          idempotency_key="k")
    assert "too long" in caught.value.message_dict["body"][0]
    assert not SmsMessage.objects.exists()


def test_sending_from_a_template_sends_once_per_key(org, greeting):
    contact = texting(org.owner, given_name="สมชาย", language="th")
    first = sms_send_template(user=org.owner, contact=contact, template=greeting,
                              idempotency_key="order-1")
    again = sms_send_template(user=org.owner, contact=contact, template=greeting,
                              idempotency_key="order-1")
    assert first == again and SmsMessage.objects.get().body == "สวัสดีคุณสมชาย สินค้าพร้อมแล้ว"


def test_an_archived_template_is_not_sent(org, greeting):
    SmsTemplate.objects.filter(pk=greeting.pk).update(archived=True)
    greeting.refresh_from_db()
    with pytest.raises(ValidationError, match="archived"):
        sms_send_template(user=org.owner, contact=texting(org.owner), template=greeting,
                          idempotency_key="k")


def test_a_rule_texts_new_contacts_from_a_template_in_their_language(org, greeting):
    make_rule(org.admin, event="created", kind="customers.contact",
              actions=[{"type": "send_sms", "template": str(greeting.pk), "to": "record"}])
    texting(org.owner, given_name="مریم", language="fa", country="IR", phone="+989121234567")
    run_queued()
    assert RuleRun.objects.get().status == "done"
    assert SmsMessage.objects.get().body == "سلام مریم"


@pytest.mark.parametrize("action", [
    {"type": "send_sms", "to": "record"},
    {"type": "send_sms", "to": "record", "body": "hi", "template": "1"},
])
def test_a_rule_needs_a_template_or_a_message_not_both(org, greeting, action):
    action = {**action, "template": str(greeting.pk)} if "template" in action else action
    with pytest.raises(ValidationError) as caught:
        make_rule(org.admin, event="created", kind="customers.contact", actions=[action])
    assert "template" in json.dumps(caught.value.message_dict)


def test_the_admin_writes_a_template_and_sees_the_line_of_a_mistake(org):
    client = signed_in(org.admin)
    data = {"name": "ส่งของ", "default_language": "th",
            "th_body": "คุณ{{ contact.given_name }}\n{{ contact.nope }}"}
    refused = client.post(reverse("sms_template_create"), data)
    assert refused.status_code == 422
    assert "Line 2" in refused.content.decode() and not SmsTemplate.objects.exists()
    data["th_body"] = "คุณ{{ contact.given_name }} ของถึงแล้ว"
    saved = client.post(reverse("sms_template_create"), data)
    template = SmsTemplate.objects.get()
    assert saved.status_code == 302 and template.version_for("th").body == data["th_body"]
    assert "ส่งของ" in client.get(reverse("sms_template_list")).content.decode()
    assert signed_in(org.manager).get(reverse("sms_template_list")).status_code in (403, 404)


def test_the_contact_page_fills_the_message_box_from_a_template(org, greeting):
    contact = texting(org.owner, given_name="สมชาย", language="th")
    client = signed_in(org.owner)
    filled = client.post(reverse("contact_sms_fill", args=[contact.pk]),
                         {"template": greeting.pk, "idempotency_key": "k1"})
    assert filled.status_code == 200
    assert "สวัสดีคุณสมชาย สินค้าพร้อมแล้ว</textarea>" in filled.content.decode()
    other = texting(org.outsider, phone="+66812345679")
    assert client.post(reverse("contact_sms_fill", args=[other.pk]),
                       {"template": greeting.pk}).status_code == 404


def test_the_api_sends_from_a_template_and_admins_manage_templates(org, greeting):
    contact = texting(org.owner, given_name="伟", family_name="王", language="zh-hans")
    client = api_client(org.owner)

    def post(url, body):
        return client.post(url, json.dumps(body), content_type="application/json")

    sent = post("/api/v1/sms", {"contact_id": contact.pk, "template_id": greeting.pk})
    assert sent.status_code == 201 and sent.json()["body"] == "王伟您好，订单已备好"
    both = post("/api/v1/sms", {"contact_id": contact.pk, "template_id": greeting.pk,
                                "body": "x"})
    assert both.status_code == 422 and both.json()["errors"][0]["field"] == "body"
    missing = post("/api/v1/sms", {"contact_id": contact.pk, "template_id": 999999})
    assert missing.json()["errors"][0]["field"] == "template_id"
    assert post("/api/v1/sms/templates", {"name": "x", "versions": [
        {"language": "en", "body": "x"}]}).status_code == 403
    admin = api_client(org.admin)
    created = admin.post("/api/v1/sms/templates", json.dumps({
        "name": "OTP", "default_language": "th",
        "versions": [{"language": "th", "body": "{{ contact.nope }}"}]}),
        content_type="application/json")
    assert created.status_code == 422
    assert created.json()["errors"][0]["field"] == "versions.th.body"
    assert [t["name"] for t in admin.get("/api/v1/sms/templates").json()] == ["Order ready"]


def test_signed_out_visitors_cannot_fill_or_list(org, greeting):
    contact = texting(org.owner)
    assert Client().post(reverse("contact_sms_fill", args=[contact.pk])).status_code == 302
