"""Email in, in the UI: mailboxes in the Admin area, their inbox and rejected mail,
and the page of one message with its attachments."""

import nh3
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amity.core.pagination import keyset_page
from amity.customers.models import Contact
from amity.integrations.mail_in_forms import MailboxForm
from amity.integrations.mail_in_tasks import mailbox_poll_task
from amity.integrations.mailboxes import (
    MailboxUnavailable,
    mailbox_save,
    mailbox_token_new,
)
from amity.integrations.mailboxes import (
    mailbox_test as test_connection,
)
from amity.integrations.models import InboundAttachment, InboundMessage, Mailbox
from amity.org.views import admin_required

NEWEST = ("-received_at", "-id")


@admin_required
def mailbox_list(request):
    return render(request, "integrations/mailbox_list.html",
                  {"mailboxes": Mailbox.objects.all(), "title": _("Mailboxes")})


@admin_required
def mailbox_edit(request, pk=None, new_token=None):
    mailbox = get_object_or_404(Mailbox, pk=pk) if pk else Mailbox()
    form = MailboxForm(request.POST or None, instance=mailbox)
    if request.method == "POST" and new_token is None and form.is_valid():
        data = {f: form.cleaned_data[f] for f in MailboxForm.Meta.fields}
        try:
            mailbox_save(mailbox=mailbox, data=data, password=form.cleaned_data["password"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("%(mailbox)s was saved.") % {"mailbox": mailbox})
            return redirect("mailbox_edit", pk=mailbox.pk)
    if new_token is not None:
        form = MailboxForm(instance=mailbox)
    return render(request, "integrations/mailbox_form.html", {
        "form": form, "mailbox": mailbox, "new_token": new_token,
        "title": str(mailbox) if pk else _("New mailbox")},
        status=422 if form.errors else 200)


@admin_required
@require_POST
def mailbox_test(request, pk):
    mailbox = get_object_or_404(Mailbox, pk=pk)
    try:
        result, ok = test_connection(mailbox=mailbox), True
    except MailboxUnavailable as exc:
        result, ok = str(exc), False
    return render(request, "integrations/_mailbox_test.html", {"result": result, "ok": ok})


@admin_required
@require_POST
def mailbox_poll_now(request, pk):
    mailbox = get_object_or_404(Mailbox, pk=pk)
    with transaction.atomic():
        mailbox_poll_task.enqueue(mailbox.pk)
    messages.success(request, _("A poll of %(mailbox)s was queued; new mail appears in its "
                                "inbox shortly.") % {"mailbox": mailbox})
    return redirect("mailbox_edit", pk=mailbox.pk)


@admin_required
@require_POST
def mailbox_token(request, pk):
    mailbox = get_object_or_404(Mailbox, pk=pk)
    return mailbox_edit(request, pk=pk, new_token=mailbox_token_new(mailbox=mailbox))


@admin_required
def mailbox_inbox(request, pk):
    mailbox = get_object_or_404(Mailbox, pk=pk)
    rows = mailbox.messages.prefetch_related("contacts")
    unmatched = request.GET.get("unmatched") == "1"
    if unmatched:
        rows = rows.filter(contacts__isnull=True)
    page = keyset_page(rows, ordering=NEWEST, after=request.GET.get("after"), size=50)
    return render(request, "integrations/mailbox_inbox.html", {
        "mailbox": mailbox, "page": page, "unmatched": unmatched,
        "title": _("Inbox of %(mailbox)s") % {"mailbox": mailbox}})


@admin_required
def mailbox_rejected(request, pk):
    mailbox = get_object_or_404(Mailbox, pk=pk)
    return render(request, "integrations/mailbox_rejected.html", {
        "mailbox": mailbox, "rejected": mailbox.rejected.all()[:500],
        "title": _("Rejected mail of %(mailbox)s") % {"mailbox": mailbox}})


def _safe_html(html: str) -> str:
    # Ammonia's defaults: no script, style, event handlers or javascript: links; the
    # page's CSP also keeps remote images (tracking pixels) from loading.
    return mark_safe(nh3.clean(html)) if html.strip() else ""  # noqa: S308 - sanitised


@login_required
def inbound_message(request, pk):
    visible = InboundMessage.objects.visible_to(request.user)
    message = get_object_or_404(visible.select_related("mailbox", "thread"), pk=pk)
    thread = (visible.filter(thread_id=message.thread_id).exclude(pk=message.pk)
              .order_by("received_at", "id"))
    contacts = Contact.objects.visible_to(request.user).filter(inbound_messages=message)
    return render(request, "integrations/inbound_message.html", {
        "message": message, "thread": thread, "contacts": contacts,
        "attachments": message.attachments.all(), "html": _safe_html(message.html_body),
        "title": message.subject or _("(no subject)")})


@login_required
def inbound_attachment(request, pk, attachment_pk):
    message = get_object_or_404(InboundMessage.objects.visible_to(request.user), pk=pk)
    attachment = get_object_or_404(InboundAttachment, pk=attachment_pk, message=message)
    if not attachment.stored:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True,
                        filename=attachment.filename or f"attachment-{attachment.pk}",
                        content_type=attachment.content_type or "application/octet-stream")
