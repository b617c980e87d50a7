"""Email templates: saving (checked and sanitised), choosing the version for a contact's
language, rendering and previewing."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from amity.integrations.email_html import html_to_text, sanitise_html
from amity.integrations.mail_headers import check_header
from amity.integrations.models import EmailTemplate, EmailTemplateVersion
from amity.integrations.models.mail_out import BODY_MAX, SUBJECT_MAX
from amity.integrations.sender_identities import Sender
from amity.integrations.template_context import template_context, template_variables
from amity.integrations.template_sandbox import check_template, render_checked
from amity.integrations.template_store import (
    LANGUAGE_CODES,
    clean_template_frame,
    store_template,
)

VERSION_FIELDS = ("subject", "html_body", "text_body")


@dataclass(frozen=True)
class RenderedEmail:
    language: str
    subject: str
    text: str
    html: str


def _clean_version(language: str, data: dict[str, Any], variables: frozenset[str]) -> dict:
    prefix = f"versions.{language}"
    subject = (data.get("subject") or "").strip()
    html = (data.get("html_body") or "").strip()
    text = (data.get("text_body") or "").strip()
    errors: dict[str, list[str]] = {}
    if not subject:
        errors[f"{prefix}.subject"] = [_("Give the subject.")]
    elif len(subject) > SUBJECT_MAX:
        errors[f"{prefix}.subject"] = [_("At most %(max)s characters.") % {"max": SUBJECT_MAX}]
    if not html:
        errors[f"{prefix}.html_body"] = [_("Write the message.")]
    for name, value in (("html_body", html), ("text_body", text)):
        if len(value) > BODY_MAX:
            errors[f"{prefix}.{name}"] = [_("At most %(max)s characters.") % {"max": BODY_MAX}]
    if errors:
        raise ValidationError(errors)
    html = sanitise_html(html)
    checks = ((f"{prefix}.subject", subject), (f"{prefix}.html_body", html),
              (f"{prefix}.text_body", text))
    for field, source in checks:
        if field in errors or not source:
            continue
        try:
            if field.endswith(".subject"):
                check_header(field, source)
            check_template(source, variables, field=field)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return {"subject": subject, "html_body": html, "text_body": text}


def template_save(*, actor, template: EmailTemplate | None, name: str, default_language: str,
                  versions: dict[str, dict[str, Any]]) -> EmailTemplate:
    """Create or change a template and replace its versions (language -> subject, html_body,
    text_body). Unknown variables or forbidden syntax answer errors naming the version,
    the field and the line."""
    if not actor.is_administrator:
        raise PermissionDenied
    template = template or EmailTemplate()
    name, default_language, given, errors = clean_template_frame(
        name=name, default_language=default_language, versions=versions,
        fields=VERSION_FIELDS, default_field="subject")
    variables = template_variables()
    cleaned = {}
    for code in LANGUAGE_CODES:
        if code in given:
            try:
                cleaned[code] = _clean_version(code, given[code], variables)
            except ValidationError as exc:
                errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return store_template(template=template, actor=actor, name=name,
                          default_language=default_language, versions=cleaned,
                          version_model=EmailTemplateVersion)


def template_archive(*, actor, template: EmailTemplate) -> None:
    """Hide a template from senders; messages already sent keep pointing at it."""
    if not actor.is_administrator:
        raise PermissionDenied
    EmailTemplate.objects.filter(pk=template.pk).update(archived=True)


def render_email(*, template: EmailTemplate, contact, sender: Sender,
                 extra: dict[str, Any] | None = None, fields_cache: dict | None = None,
                 variables: frozenset[str] | None = None) -> RenderedEmail:
    """The message for `contact` in their language (else the template's default one).
    Values are HTML-escaped in the HTML part and the result is sanitised again."""
    version = template.version_for(contact.language)
    if version is None:
        raise ValidationError({"template": [_("This template has no version to send.")]})
    variables = template_variables() if variables is None else variables
    with translation.override(version.language):
        context = template_context(contact=contact, sender=sender.as_context(), extra=extra,
                                   fields_cache=fields_cache)
        subject = render_checked(version.subject, context, html=False, variables=variables)
        html = sanitise_html(render_checked(version.html_body, context, html=True,
                                            variables=variables))
        text = render_checked(version.text_body, context, html=False, variables=variables) \
            if version.text_body else html_to_text(html)
    return RenderedEmail(language=version.language, subject=subject.strip(), text=text,
                         html=html)
