"""API: send email to contacts, read what was sent, and manage templates (admins)."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from amity.api.crud import StrictSchema
from amity.api.errors import COMMON_ERRORS
from amity.core.pagination import keyset_page
from amity.customers.models import Contact
from amity.integrations.email_templates import template_archive, template_save
from amity.integrations.mail_out import email_send, new_idempotency_key
from amity.integrations.models import EmailTemplate, OutboundEmail, OutboundStatus

emails_router = Router(tags=["email"])
templates_router = Router(tags=["email templates"])
ORDER = ("-created_at", "-id")
ExtraValue = str | int | float | bool | None


class OutboundEmailIn(StrictSchema):
    contact: int
    template: int
    extra_context: dict[str, ExtraValue] | None = None


class OutboundEmailOut(Schema):
    id: int
    contact: int
    to_address: str
    from_address: str
    reply_to: str
    template: int | None
    language: str
    subject: str
    status: str
    attempts: int
    last_error: str
    message_id: str
    created_at: datetime
    sent_at: datetime | None

    @staticmethod
    def resolve_contact(obj) -> int:
        return obj.contact_id

    @staticmethod
    def resolve_template(obj) -> int | None:
        return obj.template_id

    @staticmethod
    def resolve_language(obj) -> str:
        return obj.template_language


class OutboundEmailPage(Schema):
    results: list[OutboundEmailOut]
    next_cursor: str | None


def _visible_field(model, queryset, pk: int, field: str):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [_("Select a valid choice.")]})
    return found


@emails_router.post("/", response={201: OutboundEmailOut, **COMMON_ERRORS}, summary="Send an email",
                    operation_id="email_send")
def send(request, payload: OutboundEmailIn):
    """Queue a message from a template to a contact, in the contact's language. With an
    Idempotency-Key header, repeating the request sends nothing new."""
    user = request.auth
    contact = _visible_field(Contact, Contact.objects.visible_to(user), payload.contact,
                             "contact")
    template = _visible_field(EmailTemplate, EmailTemplate.objects.filter(archived=False),
                              payload.template, "template")
    header = request.headers.get("Idempotency-Key")
    key = f"api:{user.pk}:{header}" if header else new_idempotency_key()
    message = email_send(user=user, contact=contact, template=template, idempotency_key=key,
                         extra_context=payload.extra_context)
    return Status(201, message)


@emails_router.get("/", response={200: OutboundEmailPage, **COMMON_ERRORS},
                   summary="List sent and queued email", operation_id="email_list")
def list_emails(request, contact: int | None = None, status: str | None = None,
                cursor: str | None = None, page_size: int = 50):
    """Messages to contacts you may see, newest first; `status` is one of queued, sending,
    sent, failed, cancelled."""
    if status is not None and status not in OutboundStatus.values:
        raise ValidationError({"status": [_("Choose one of: %s.")
                                          % ", ".join(OutboundStatus.values)]})
    messages = OutboundEmail.objects.visible_to(request.auth)
    if contact is not None:
        messages = messages.filter(contact_id=contact)
    if status is not None:
        messages = messages.filter(status=status)
    page = keyset_page(messages, ordering=ORDER, after=cursor, size=page_size)
    return {"results": page.items, "next_cursor": page.next_cursor}


@emails_router.get("/{int:pk}", response={200: OutboundEmailOut, **COMMON_ERRORS},
                   summary="Read an email", operation_id="email_read")
def read_email(request, pk: int):
    return get_object_or_404(OutboundEmail.objects.visible_to(request.auth), pk=pk)


# --- templates ------------------------------------------------------------------------------

Language = Literal["en", "th", "fa", "zh-hans", "zh-Hans"]


class EmailTemplateVersionIn(StrictSchema):
    language: Language
    subject: str
    html_body: str
    text_body: str = ""


class EmailTemplateVersionOut(Schema):
    language: str
    subject: str
    html_body: str
    text_body: str


class EmailTemplateIn(StrictSchema):
    name: str
    default_language: Language = "en"
    versions: list[EmailTemplateVersionIn]


class EmailTemplateOut(Schema):
    id: int
    name: str
    default_language: str
    archived: bool
    versions: list[EmailTemplateVersionOut]
    updated_at: datetime

    @staticmethod
    def resolve_versions(obj) -> list:
        return list(obj.versions.all())


def versions_by_language(payload) -> dict[str, dict]:
    """A template payload's versions keyed by language, each language given once."""
    languages = [v.language.lower() for v in payload.versions]
    if len(set(languages)) != len(languages):
        raise ValidationError({"versions": [_("Give each language once.")]})
    return {v.language: v.model_dump(exclude={"language"}) for v in payload.versions}


def admin_only(request):
    if not request.auth.is_administrator:
        raise PermissionDenied
    return request.auth


@templates_router.get("/", response={200: list[EmailTemplateOut], **COMMON_ERRORS},
                      summary="List email templates", operation_id="email_template_list")
def list_templates(request, archived: bool = False):
    """Templates anyone may send; administrators may also list the archived ones."""
    templates = EmailTemplate.objects.prefetch_related("versions")
    if archived:
        admin_only(request)
    return templates.filter(archived=archived)


@templates_router.get("/{int:pk}", response={200: EmailTemplateOut, **COMMON_ERRORS},
                      summary="Read an email template", operation_id="email_template_read")
def read_template(request, pk: int):
    return get_object_or_404(EmailTemplate.objects.prefetch_related("versions"), pk=pk)


@templates_router.post("/", response={201: EmailTemplateOut, **COMMON_ERRORS},
                       summary="Create an email template", operation_id="email_template_create")
def create_template(request, payload: EmailTemplateIn):
    """Administrators only. Errors name the version and field, e.g. versions.th.subject,
    and the line of the problem."""
    template = template_save(actor=admin_only(request), template=None, name=payload.name,
                             default_language=payload.default_language,
                             versions=versions_by_language(payload))
    return Status(201, template)


@templates_router.put("/{int:pk}", response={200: EmailTemplateOut, **COMMON_ERRORS},
                      summary="Replace an email template", operation_id="email_template_update")
def update_template(request, pk: int, payload: EmailTemplateIn):
    actor = admin_only(request)
    template = get_object_or_404(EmailTemplate, pk=pk)
    return template_save(actor=actor, template=template, name=payload.name,
                         default_language=payload.default_language,
                         versions=versions_by_language(payload))


@templates_router.delete("/{int:pk}", response={204: None, **COMMON_ERRORS},
                         summary="Archive an email template",
                         operation_id="email_template_delete")
def delete_template(request, pk: int):
    actor = admin_only(request)
    template_archive(actor=actor, template=get_object_or_404(EmailTemplate, pk=pk))
    return Status(204, None)
