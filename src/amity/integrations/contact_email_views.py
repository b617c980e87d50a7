"""Sending email from a contact's page: choose a template, see the preview in the
contact's language, send (HTMX; errors keep what was chosen)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from amity.customers.models import Contact
from amity.integrations.email_templates import render_email
from amity.integrations.mail_forms import SendEmailForm
from amity.integrations.mail_out import email_send
from amity.integrations.sender_identities import sender_for


def _panel(request, contact, form, *, sent=None, rendered=None, status=200):
    return render(request, "integrations/_contact_email.html",
                  {"record": contact, "can_edit": True, "send_form": form, "sent": sent,
                   "rendered": rendered}, status=status)


def _preview(user, contact, template):
    try:
        return render_email(template=template, contact=contact, sender=sender_for(user)), None
    except ValidationError as exc:
        return None, exc.messages


@login_required
@require_GET
def contact_email_preview(request, pk: int):
    """The chosen template as this contact would receive it."""
    contact = get_object_or_404(Contact.objects.editable_by(request.user)
                                .select_related("account"), pk=pk)
    form = SendEmailForm({"template": request.GET.get("template"), "idempotency_key": "-"})
    rendered = errors = None
    if form.is_valid():
        rendered, errors = _preview(request.user, contact, form.cleaned_data["template"])
    return render(request, "integrations/_contact_email_preview.html",
                  {"rendered": rendered, "preview_errors": errors})


@login_required
@require_POST
def contact_email_send(request, pk: int):
    contact = get_object_or_404(Contact.objects.editable_by(request.user)
                                .select_related("account"), pk=pk)
    form = SendEmailForm(request.POST)
    if not form.is_valid():
        return _panel(request, contact, form, status=422)
    template = form.cleaned_data["template"]
    try:
        message = email_send(user=request.user, contact=contact, template=template,
                             idempotency_key=f"ui:{request.user.pk}:"
                                             f"{form.cleaned_data['idempotency_key']}")
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error("template" if field == "template" else None, errors)
        rendered, _errors = _preview(request.user, contact, template)
        return _panel(request, contact, form, rendered=rendered, status=422)
    return _panel(request, contact, SendEmailForm(), sent=message)


urlpatterns = [
    path("contacts/<int:pk>/email/", contact_email_send, name="contact_email_send"),
    path("contacts/<int:pk>/email/preview/", contact_email_preview,
         name="contact_email_preview"),
]
