"""Templates: only allow-listed variables and simple conditions are saved; the HTML is
sanitised; each version is chosen by the contact's language."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amity.integrations.email_templates import render_email, template_save
from amity.integrations.models import EmailTemplate
from amity.integrations.sender_identities import sender_for
from tests.conftest import define_custom_field, make_account, make_contact


def save(org, *, html="<p>Hi</p>", subject="Hello", text="", language="en", **extra):
    return template_save(actor=org.admin, template=None, name=extra.pop("name", "T"),
                         default_language="en",
                         versions={language: {"subject": subject, "html_body": html,
                                              "text_body": text}, **extra})


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.message_dict


@pytest.mark.parametrize(("source", "says"), [
    ("{{ contact.__class__ }}", "contact.__class__"),
    ("{{ ''.__class__.__mro__ }}", "not a variable"),
    ("{{ contact.given_name.__class__ }}", "contact.given_name.__class__"),
    ("{% for c in contact %}x{% endfor %}", "{% for %}"),
    ("{% include 'web/base.html' %}", "{% include %}"),
    ("{% extends 'web/base.html' %}", "{% extends %}"),
    ("{% set x = 1 %}", "{% set %}"),
    ("{% macro m() %}x{% endmacro %}", "{% macro %}"),
    ("{{ contact['given_name'] }}", "[…]"),
    ("{{ contact.given_name.upper() }}", "a call"),
    ("{{ contact.password }}", "contact.password"),
    ("{{ contact.owner.password }}", "contact.owner.password"),
    ("{{ contact }}", "contact"),
    ("{{ user.email }}", "user.email"),
    ("{{ contact.given_name|attr('x') }}", "attr"),
    ("{{ contact.given_name|default(contact.__class__) }}", "plain text"),
    ("{{ range(10) }}", "a call"),
    ("{{ contact.given_name if contact.email else '' }}", "CondExpr"),
    ("{% if contact.given_name %}open", "endif"),
])
def test_forbidden_syntax_is_refused_at_save_naming_version_field_and_line(org, source, says):
    html = "<p>line one</p>\n<p>" + source + "</p>"
    errors = errors_of(lambda: save(org, language="th", html=html, en={
        "subject": "ok", "html_body": "<p>ok</p>"}))
    assert list(errors) == ["versions.th.html_body"]
    assert errors["versions.th.html_body"][0].startswith("Line 2:")
    assert says in errors["versions.th.html_body"][0]
    assert not EmailTemplate.objects.exists()


def test_unknown_variables_in_the_subject_and_text_are_named(org):
    errors = errors_of(lambda: save(org, subject="Hi {{ contact.nick }}",
                                    text="a\nb\n{{ account.secret }}"))
    assert errors["versions.en.subject"] == [
        "Line 1: contact.nick is not a variable you can use here."]
    assert errors["versions.en.text_body"][0].startswith("Line 3: account.secret")


def test_a_subject_with_a_line_break_is_refused(org):
    errors = errors_of(lambda: save(org, subject="Hi\r\nBcc: victim@example.com"))
    assert "versions.en.subject" in errors


def test_missing_default_version_unknown_language_and_empty_name(org):
    errors = errors_of(lambda: template_save(
        actor=org.admin, template=None, name=" ", default_language="fa",
        versions={"en": {"subject": "s", "html_body": "<p>h</p>"},
                  "klingon": {"subject": "s", "html_body": "h"}}))
    assert set(errors) == {"name", "versions.fa.subject", "versions.klingon"}


def test_only_administrators_save_templates(org):
    with pytest.raises(PermissionDenied):
        template_save(actor=org.manager, template=None, name="x", default_language="en",
                      versions={"en": {"subject": "s", "html_body": "h"}})


def test_the_html_is_sanitised_when_saved_and_conditions_and_filters_work(org):
    define_custom_field(org.admin, "vip", "boolean")
    template = save(org, html='<p onclick="steal()">Hi {{ contact.given_name|default("you") }}'
                              '</p><script>alert(1)</script><a href="javascript:alert(1)">x</a>'
                              '{% if contact.custom.vip %}<b>VIP</b>{% else %}<i>-</i>'
                              '{% endif %}')
    html = template.versions.get().html_body
    assert "script" not in html and "onclick" not in html and "javascript" not in html
    template_save(actor=org.admin, template=template, name="T", default_language="en",
                  versions={"en": {"subject": "s", "html_body": html}})
    vip = make_contact(org.owner, given_name="", custom={"vip": True})
    rendered = render_email(template=template, contact=vip, sender=sender_for(org.owner))
    assert "Hi you" in rendered.html and "<b>VIP</b>" in rendered.html


def test_values_that_look_like_html_or_template_code_stay_text(org):
    template = save(org, html='<p>{{ contact.given_name }}</p><a href="{{ account.website }}">'
                              'site</a>', subject="{{ contact.given_name }}")
    account = make_account(org.owner, website="https://example.com/?a=1&b=2")
    contact = make_contact(org.owner, given_name="<script>alert(1)</script>{{ 7*7 }}",
                           account=account)
    rendered = render_email(template=template, contact=contact, sender=sender_for(org.owner))
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    assert "{{ 7*7 }}" in rendered.html and "49" not in rendered.html
    assert rendered.subject == "<script>alert(1)</script>{{ 7*7 }}"  # plain text header
    assert 'href="https://example.com/?a=1&amp;b=2"' in rendered.html


def test_a_javascript_link_from_a_value_is_removed_after_rendering(org):
    template = save(org, html='<a href="{{ account.website }}">site</a>')
    account = make_account(org.owner)
    account.website = "javascript:alert(1)"  # as if stored by an older version
    contact = make_contact(org.owner, account=account)
    contact.account = account
    rendered = render_email(template=template, contact=contact, sender=sender_for(org.owner))
    assert "javascript" not in rendered.html


def test_custom_fields_of_contact_and_account_are_variables(org, custom_fields):
    define_custom_field(org.admin, "region_code", "text", kind="customers.account")
    template = save(org, html="<p>{{ contact.custom.nickname }} {{ contact.custom.level }} "
                              "{{ account.custom.region_code }}</p>")
    account = make_account(org.owner, custom={"region_code": "N-1"})
    contact = make_contact(org.owner, account=account, language="th",
                           custom={"nickname": "ต้น", "level": "gold"})
    rendered = render_email(template=template, contact=contact, sender=sender_for(org.owner))
    assert "ต้น ทอง N-1" in rendered.html


def test_a_template_tampered_with_in_the_database_is_not_executed(org):
    template = save(org)
    template.versions.update(html_body="{{ contact.__class__ }}")
    with pytest.raises(ValidationError):
        render_email(template=template, contact=make_contact(org.owner),
                     sender=sender_for(org.owner))


def test_huge_bodies_and_subjects_are_refused_by_field(org):
    errors = errors_of(lambda: save(org, subject="ส" * 501, html="<p>" + "x" * 200_001,
                                    text="y" * 200_001))
    assert set(errors) == {"versions.en.subject", "versions.en.html_body",
                           "versions.en.text_body"}
