"""Admin pages of email out: templates, sending settings and identities, outbound messages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from amity.core.pagination import keyset_page
from amity.customers.models import Contact
from amity.integrations import email_templates, sender_identities, smtp_settings, template_pages
from amity.integrations.mail_forms import (
    IdentityForm,
    OutboundFilterForm,
    PreviewForm,
    SmtpSettingsForm,
    TemplateForm,
    TestMessageForm,
)
from amity.integrations.models import EmailTemplate, OutboundEmail, SenderIdentity
from amity.integrations.template_pages import TemplatePages
from amity.org.views import admin_required

URLS = {"create": "email_template_create", "edit": "email_template_edit",
        "archive": "email_template_archive", "preview": "email_template_preview"}


PAGES = TemplatePages(EmailTemplate, TemplateForm, email_templates.template_save, URLS,
                      gettext_lazy("Email templates"), gettext_lazy("New email template"),
                      "integrations/_email_preview.html")


@admin_required
def template_list(request):
    return template_pages.template_list(request, PAGES)


@admin_required
def template_edit(request, pk: int | None = None):
    return template_pages.template_edit(request, PAGES, pk)


def find_contact(user, text: str) -> Contact | None:
    """A contact `user` can see, by email address or id (template previews)."""
    text = text.strip()
    visible = Contact.objects.visible_to(user).select_related("account")
    query = Q(email=text.lower())
    if text.isdigit():
        query |= Q(pk=int(text))
    return visible.filter(query).order_by("id").first()


@admin_required
@require_POST
def template_preview(request, pk: int):
    """The saved template rendered for a contact the administrator can see (HTMX)."""
    template = get_object_or_404(EmailTemplate, pk=pk)
    form = PreviewForm(request.POST)
    rendered = None
    if form.is_valid():
        contact = find_contact(request.user, form.cleaned_data["contact"])
        if contact is None:
            form.add_error("contact", _("No contact you can see has this address or number."))
        else:
            try:
                rendered = email_templates.render_email(
                    template=template, contact=contact,
                    sender=sender_identities.sender_for(request.user))
            except ValidationError as exc:
                form.add_error(None, exc.messages)
    return render(request, "integrations/_email_preview.html",
                  {"preview_form": form, "rendered": rendered, "template": template,
                   "urls": URLS},
                  status=422 if form.errors else 200)


@admin_required
@require_POST
def template_archive(request, pk: int):
    template = get_object_or_404(EmailTemplate, pk=pk)
    email_templates.template_archive(actor=request.user, template=template)
    messages.success(request, _("The template was archived."))
    return redirect("email_template_list")


def _sending_page(request, *, smtp_form=None, identity_form=None, test_form=None,
                  test_error=None, status=200):
    stored = smtp_settings.smtp_settings_get()
    return render(request, "integrations/email_sending.html", {
        "smtp_form": smtp_form or SmtpSettingsForm(instance=stored),
        "summary": smtp_settings.smtp_summary(),
        "identity_form": identity_form or IdentityForm(),
        "identities": SenderIdentity.objects.select_related("user").order_by(
            "-organisation", "user__username"),
        "test_form": test_form or TestMessageForm(initial={"to": request.user.email}),
        "test_error": test_error, "title": _("Email sending"),
    }, status=status)


@admin_required
def sending(request):
    return _sending_page(request)


@admin_required
@require_POST
def smtp_save(request):
    form = SmtpSettingsForm(request.POST, instance=smtp_settings.smtp_settings_get())
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            smtp_settings.smtp_settings_save(
                user=request.user, data=data, password=form.cleaned_data["password"] or None,
                clear_password=form.cleaned_data["clear_password"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The SMTP settings were saved."))
            return redirect("email_sending")
    return _sending_page(request, smtp_form=form, status=422)


@admin_required
@require_POST
def smtp_clear(request):
    smtp_settings.smtp_settings_clear(user=request.user)
    messages.success(request, _("Email is sent with the server set in the environment again."))
    return redirect("email_sending")


@admin_required
@require_POST
def smtp_test(request):
    form = TestMessageForm(request.POST)
    if form.is_valid():
        error = smtp_settings.smtp_test_send(user=request.user, to=form.cleaned_data["to"])
        if error is None:
            messages.success(request, _("The server accepted the test message."))
            return redirect("email_sending")
        return _sending_page(request, test_form=form, test_error=error, status=422)
    return _sending_page(request, test_form=form, status=422)


@admin_required
@require_POST
def identity_save(request):
    form = IdentityForm(request.POST)
    if form.is_valid():
        try:
            sender_identities.identity_save(
                actor=request.user, user=form.cleaned_data["user"],
                from_name=form.cleaned_data["from_name"],
                from_address=form.cleaned_data["from_address"],
                reply_to=form.cleaned_data["reply_to"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The sender identity was saved."))
            return redirect("email_sending")
    return _sending_page(request, identity_form=form, status=422)


@admin_required
@require_POST
def identity_delete(request, pk: int):
    sender_identities.identity_delete(actor=request.user, identity_id=pk)
    messages.success(request, _("The sender identity was removed."))
    return redirect("email_sending")


@admin_required
def outbound_list(request):
    """Every outbound message, newest first, with its status and last error."""
    filters = OutboundFilterForm(request.GET)
    rows = OutboundEmail.objects.select_related("contact", "created_by")
    if filters.is_valid() and filters.cleaned_data["status"]:
        rows = rows.filter(status=filters.cleaned_data["status"])
    try:
        page = keyset_page(rows, ordering=("-created_at", "-id"), after=request.GET.get("after"))
    except ValidationError:
        page = keyset_page(rows, ordering=("-created_at", "-id"))
    params = request.GET.copy()
    params.pop("after", None)
    return render(request, "integrations/outbound_emails.html",
                  {"page": page, "filters": filters, "params": params.urlencode(),
                   "title": _("Outbound email")})


urlpatterns = [
    path("admin/email/templates/", template_list, name="email_template_list"),
    path("admin/email/templates/new/", template_edit, name="email_template_create"),
    path("admin/email/templates/<int:pk>/", template_edit, name="email_template_edit"),
    path("admin/email/templates/<int:pk>/preview/", template_preview,
         name="email_template_preview"),
    path("admin/email/templates/<int:pk>/archive/", template_archive,
         name="email_template_archive"),
    path("admin/email/sending/", sending, name="email_sending"),
    path("admin/email/sending/smtp/", smtp_save, name="email_smtp_save"),
    path("admin/email/sending/smtp/clear/", smtp_clear, name="email_smtp_clear"),
    path("admin/email/sending/test/", smtp_test, name="email_smtp_test"),
    path("admin/email/sending/identities/", identity_save, name="email_identity_save"),
    path("admin/email/sending/identities/<int:pk>/delete/", identity_delete,
         name="email_identity_delete"),
    path("admin/email/messages/", outbound_list, name="outbound_email_list"),
]
