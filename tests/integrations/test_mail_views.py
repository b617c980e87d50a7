"""The email pages: templates and sending settings for administrators, sending from a
contact's page, the outbound list, and the sent message on the timeline."""

import pytest
from django.urls import reverse

from amity.integrations.models import EmailTemplate, OutboundEmail, SmtpSettings
from amity.integrations.smtp_settings import smtp_summary
from tests.conftest import make_contact, signed_in
from tests.integrations.conftest import emailable, run_queued_sends


def template_post(name="Hello", **versions):
    data = {"name": name, "default_language": "en"}
    for code, values in versions.items():
        for field, value in values.items():
            data[f"{code}_{field}"] = value
    return data


@pytest.mark.parametrize("url_name", ["email_template_list", "email_template_create",
                                      "email_sending", "outbound_email_list"])
def test_admin_pages_answer_404_to_others_and_show_in_the_admin_area(org, url_name):
    assert signed_in(org.manager).get(reverse(url_name)).status_code == 404
    assert signed_in(org.admin).get(reverse(url_name)).status_code == 200
    area = signed_in(org.admin).get(reverse("area", args=["admin"])).content.decode()
    assert reverse(url_name if url_name != "email_template_create" else
                   "email_template_list") in area


def test_an_administrator_writes_a_template_and_errors_name_the_field_and_line(org):
    client = signed_in(org.admin)
    bad = client.post(reverse("email_template_create"), template_post(
        en={"subject": "Hi", "html_body": "<p>ok</p>"},
        th={"subject": "สวัสดี", "html_body": "<p>a</p>\n{% for x in y %}{% endfor %}"}))
    assert bad.status_code == 422
    page = bad.content.decode()
    assert 'data-field="th_html_body">Line 2:' in page
    assert "{% for x in y %}" in page  # what was written is kept
    assert not EmailTemplate.objects.exists()
    good = client.post(reverse("email_template_create"), template_post(
        en={"subject": "Hi {{ contact.given_name }}", "html_body": "<p>ok</p>"},
        th={"subject": "สวัสดี", "html_body": "<p>ไทย {{ contact.given_name }}</p>"}))
    template = EmailTemplate.objects.get()
    assert good.status_code == 302
    assert sorted(template.versions.values_list("language", flat=True)) == ["en", "th"]


def test_preview_with_a_visible_contact_in_their_language(org, welcome):
    make_contact(org.owner, given_name="สมชาย", language="th", email="s@example.com")
    client = signed_in(org.admin)
    url = reverse("email_template_preview", args=[welcome.pk])
    page = client.post(url, {"contact": "s@example.com"}).content.decode()
    assert "ยินดีต้อนรับคุณสมชาย" in page and "สวัสดีคุณสมชาย" in page
    missing = client.post(url, {"contact": "nobody@example.com"})
    assert missing.status_code == 422


def test_smtp_settings_store_the_password_encrypted_and_never_show_it(org):
    client = signed_in(org.admin)
    response = client.post(reverse("email_smtp_save"), {
        "host": "smtp.example.com", "port": 465, "security": "ssl", "username": "amity",
        "password": "s3cret-Pässword", "timeout": 10})
    assert response.status_code == 302
    stored = SmtpSettings.objects.get()
    assert "s3cret" not in stored.password_encrypted and stored.password_encrypted
    page = client.get(reverse("email_sending")).content.decode()
    assert "s3cret" not in page and stored.password_encrypted not in page
    assert smtp_summary()["has_password"]
    # Saving again without a password keeps the stored one.
    client.post(reverse("email_smtp_save"), {"host": "smtp.example.com", "port": 587,
                                             "security": "starttls", "timeout": 10})
    assert SmtpSettings.objects.get().password_encrypted == stored.password_encrypted
    bad = client.post(reverse("email_smtp_save"), {"host": "a\r\nb", "port": 99999,
                                                   "security": "ssl", "timeout": 10})
    assert bad.status_code == 422 and 'data-field="port"' in bad.content.decode()


def test_ui_smtp_settings_are_used_and_the_test_message_arrives(org, settings, smtp_server):
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # the environment is wrong
    client = signed_in(org.admin)
    client.post(reverse("email_smtp_save"), {"host": smtp_server.host, "port": smtp_server.port,
                                             "security": "none", "timeout": 5})
    response = client.post(reverse("email_smtp_test"), {"to": "admin@example.com"})
    assert response.status_code == 302
    assert smtp_server.received[0].rcpt_tos == ["admin@example.com"]
    smtp_server.stop()
    failed = client.post(reverse("email_smtp_test"), {"to": "admin@example.com"})
    assert failed.status_code == 422 and "not sent" in failed.content.decode()
    smtp_server.start()
    client.post(reverse("email_smtp_clear"))
    assert not SmtpSettings.objects.exists()


def test_identities_are_set_by_administrators_with_errors_named(org):
    client = signed_in(org.admin)
    bad = client.post(reverse("email_identity_save"), {
        "from_name": "Siam\r\nBcc: victim@example.com", "from_address": "a@example.com"})
    assert bad.status_code == 422 and 'data-field="from_name"' in bad.content.decode()
    ok = client.post(reverse("email_identity_save"), {
        "user": org.owner.pk, "from_name": "เจ้าของ", "from_address": "owner@example.com"})
    assert ok.status_code == 302
    assert org.owner.sender_identity.from_name == "เจ้าของ"


def test_send_from_the_contact_page_with_preview_then_on_the_timeline(org, smtp_server,
                                                                       welcome):
    contact = emailable(org.owner, given_name="مریم", language="fa")
    client = signed_in(org.owner)
    page = client.get(contact.get_absolute_url()).content.decode()
    assert 'id="contact-email"' in page and "Welcome" in page
    preview = client.get(reverse("contact_email_preview", args=[contact.pk]),
                         {"template": welcome.pk}).content.decode()
    assert "خوش آمدید مریم" in preview
    data = {"template": welcome.pk, "idempotency_key": "form-1"}
    sent = client.post(reverse("contact_email_send", args=[contact.pk]), data)
    assert sent.status_code == 200 and "queued" in sent.content.decode()
    client.post(reverse("contact_email_send", args=[contact.pk]), data)  # a double click
    assert OutboundEmail.objects.count() == 1
    run_queued_sends()
    timeline = client.get(contact.get_absolute_url()).content.decode()
    assert "Email sent" in timeline and "خوش آمدید مریم" in timeline


def test_sending_errors_keep_the_chosen_template(org, welcome):
    contact = make_contact(org.owner, email="n@example.com")  # no consent
    response = signed_in(org.owner).post(reverse("contact_email_send", args=[contact.pk]),
                                         {"template": welcome.pk, "idempotency_key": "x"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "not agreed to receive email" in page
    assert f'value="{welcome.pk}" selected' in page


def test_another_teams_contact_answers_404(org, welcome):
    contact = emailable(org.outsider)
    client = signed_in(org.owner)
    assert client.post(reverse("contact_email_send", args=[contact.pk]),
                       {"template": welcome.pk, "idempotency_key": "x"}).status_code == 404
    assert client.get(reverse("contact_email_preview", args=[contact.pk]),
                      {"template": welcome.pk}).status_code == 404


def test_outbound_list_shows_status_and_error(org, smtp_server, welcome):
    contact = emailable(org.owner)
    from amity.integrations.mail_out import email_send

    email_send(user=org.owner, contact=contact, template=welcome, idempotency_key="k")
    smtp_server.stop()
    run_queued_sends()
    page = signed_in(org.admin).get(reverse("outbound_email_list"),
                                    {"status": "failed"}).content.decode()
    assert "Welcome" in page and "Failed" in page and "Connection" in page


def test_the_outbound_list_costs_the_same_queries_for_many_messages(
        org, welcome, django_assert_max_num_queries):
    from amity.integrations.mail_out import email_send_bulk

    contacts = [emailable(org.owner, email=f"p{i}@example.com") for i in range(12)]
    email_send_bulk(user=org.owner, contacts=contacts, template=welcome, idempotency_key="b")
    client = signed_in(org.admin)
    client.get(reverse("outbound_email_list"))  # warm the session and the menu
    with django_assert_max_num_queries(8):
        page = client.get(reverse("outbound_email_list"))
    assert page.content.decode().count("p1") >= 3  # p1, p10, p11
