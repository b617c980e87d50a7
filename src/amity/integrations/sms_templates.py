"""SMS templates: saving (checked like email templates), and rendering the text for a
contact in their language."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from amity.integrations.models import SmsMessage, SmsTemplate, SmsTemplateVersion
from amity.integrations.models.sms import SMS_TEMPLATE_MAX
from amity.integrations.sender_identities import sender_for
from amity.integrations.sms import clean_body, contact_for_sms, sms_send
from amity.integrations.template_context import template_context, template_variables
from amity.integrations.template_sandbox import check_template, render_checked
from amity.integrations.template_store import (
    LANGUAGE_CODES,
    clean_template_frame,
    store_template,
)


def _clean_body(language: str, body: str, variables: frozenset[str]) -> dict[str, str]:
    field = f"versions.{language}.body"
    body = (body or "").strip()
    if len(body) > SMS_TEMPLATE_MAX:
        raise ValidationError({field: [_("At most %(max)s characters.")
                                       % {"max": SMS_TEMPLATE_MAX}]})
    try:
        clean_body(body)  # control characters; the length is checked once rendered
    except ValidationError as exc:
        raise ValidationError({field: exc.message_dict["body"]}) from exc
    check_template(body, variables, field=field)
    return {"body": body}


def sms_template_save(*, actor, template: SmsTemplate | None, name: str,
                      default_language: str, versions: dict[str, dict[str, Any]]) -> SmsTemplate:
    """Create or change an SMS template and replace its versions (language -> body).
    Errors name the version and the line of an unknown variable or forbidden syntax."""
    if not actor.is_administrator:
        raise PermissionDenied
    name, default_language, given, errors = clean_template_frame(
        name=name, default_language=default_language, versions=versions,
        fields=("body",), default_field="body")
    variables = template_variables()
    cleaned = {}
    for code in LANGUAGE_CODES:
        if code in given:
            try:
                cleaned[code] = _clean_body(code, given[code].get("body", ""), variables)
            except ValidationError as exc:
                errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return store_template(template=template or SmsTemplate(), actor=actor, name=name,
                          default_language=default_language, versions=cleaned,
                          version_model=SmsTemplateVersion)


def render_sms(*, template: SmsTemplate, contact, user) -> str:
    """The text for `contact` in their language (else the template's default one), with
    `user` as the sender; checked like a typed message (length, control characters)."""
    version = template.version_for(contact.language)
    if version is None:
        raise ValidationError({"template": [_("This template has no version to send.")]})
    with translation.override(version.language):
        context = template_context(contact=contact, sender=sender_for(user).as_context())
        text = render_checked(version.body, context, html=False,
                              variables=template_variables())
    return clean_body(text.strip())


def sms_send_template(*, user, contact, template: SmsTemplate,
                      idempotency_key: str) -> SmsMessage:
    """Queue the template's text for `contact` through `sms_send` (same checks, sent once
    per idempotency key)."""
    if template.archived:
        raise ValidationError({"template": [_("This template is archived.")]})
    contact = contact_for_sms(user, contact)
    return sms_send(user=user, contact=contact, body=render_sms(template=template,
                    contact=contact, user=user), idempotency_key=idempotency_key)
