"""SMS pages: "Send SMS" on the contact page, Admin -> SMS, and the provider's delivery
status callback."""

import json
import uuid

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from amity.api.errors import error_json
from amity.customers.models import Contact
from amity.integrations import signatures
from amity.integrations.models import RecordedSms, SmsMessage, SmsTemplate
from amity.integrations.sms import clean_body, sms_segments, sms_send, sms_status_update
from amity.org.views import admin_required

MAX_CALLBACK_BYTES = 16 * 1024


class SmsForm(forms.Form):
    template = forms.ModelChoiceField(label=gettext_lazy("From a template"), required=False,
                                      queryset=SmsTemplate.objects.none(),
                                      empty_label=gettext_lazy("None: write the message"))
    body = forms.CharField(label=gettext_lazy("Message"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}), strip=False)
    # A new key each time the form is shown: a double click sends once.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, contact: Contact, **kwargs):
        kwargs.setdefault("initial", {"idempotency_key": uuid.uuid4().hex})
        # Its own ids: the email panel on the same page has a "template" field too.
        kwargs.setdefault("auto_id", "sms_%s")
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = SmsTemplate.objects.filter(archived=False)
        # Choosing a template puts its text for this contact in the box, to read and send.
        self.fields["template"].widget.attrs.update({
            "hx-post": reverse("contact_sms_fill", args=[contact.pk]),
            "hx-target": "#sms", "hx-swap": "outerHTML"})
        url = reverse("contact_sms_count", args=[contact.pk])
        self.fields["body"].widget.attrs.update({
            "hx-post": url, "hx-trigger": "input changed delay:300ms",
            "hx-target": "#sms-count", "hx-swap": "innerHTML"})


def sms_form_panel(request, contact: Contact, form: SmsForm, *, status=200, sent=None):
    """The contact page's text-message panel, as its HTMX swaps return it."""
    return render(request, "integrations/_sms.html", {
        "record": contact, "can_edit": True, "sms_form": form, "sms_sent": sent,
    }, status=status)


@login_required
@require_POST
def contact_sms_send(request, pk: int):
    contact = get_object_or_404(Contact.objects.visible_to(request.user), pk=pk)
    form = SmsForm(request.POST, contact=contact)
    if not form.is_valid():
        return sms_form_panel(request, contact, form, status=422)
    try:
        message = sms_send(user=request.user, contact=contact, body=form.cleaned_data["body"],
                           idempotency_key=form.cleaned_data["idempotency_key"])
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in ("body",) else None, errors)
        return sms_form_panel(request, contact, form, status=422)
    return sms_form_panel(request, contact, SmsForm(contact=contact), sent=message)


@login_required
@require_POST
def contact_sms_count(request, pk: int):
    """The parts count under the message box, updated as the user types."""
    get_object_or_404(Contact.objects.visible_to(request.user), pk=pk)
    body = request.POST.get("body", "")
    try:
        clean_body(body)
    except ValidationError as exc:
        return HttpResponse(exc.message_dict["body"][0])
    encoding, segments = sms_segments(body.replace("\r\n", "\n"))
    alphabet = _("GSM-7") if encoding == "gsm7" else _("Unicode")
    return HttpResponse(_("%(chars)s characters, %(segments)s part(s), %(alphabet)s") % {
        "chars": len(body), "segments": segments, "alphabet": alphabet})


@admin_required
def sms_list(request):
    return render(request, "integrations/sms_list.html", {
        "title": _("SMS"),
        "messages_sent": SmsMessage.objects.select_related("contact")[:200],
        "recorded": RecordedSms.objects.all()[:200],
    })


@csrf_exempt
@require_POST
def sms_status_callback(request):
    """The provider reports a message's delivery status: signed JSON
    {"id": provider id, "status": sent|delivered|failed|undeliverable, "error": "..."}."""
    if len(request.body) > MAX_CALLBACK_BYTES:
        return error_json(413, _("The report is too large."))
    header = request.headers.get(signatures.HEADER, "")
    if not signatures.signature_valid(settings.AMITY_SMS_CALLBACK_SECRET, header, request.body):
        return error_json(401, _("The Amity-Signature header is missing, stale or wrong."))
    try:
        report = json.loads(request.body)
    except ValueError:
        return error_json(400, _("The body is not JSON."))
    if not isinstance(report, dict) or not isinstance(report.get("id"), str | int) \
            or not isinstance(report.get("status"), str) \
            or not isinstance(report.get("error", ""), str):
        return error_json(422, _("Some fields are not valid."), errors=[
            {"field": "id", "message": _("Send the message's id and its status as text.")}])
    try:
        message = sms_status_update(provider_id=str(report["id"]), status=report["status"],
                                    error=report.get("error", ""))
    except SmsMessage.DoesNotExist:
        return error_json(404, _("No message has this id."))
    except ValidationError as exc:
        return error_json(422, _("Some fields are not valid."), errors=[
            {"field": f, "message": str(m)} for f, ms in exc.message_dict.items() for m in ms])
    return JsonResponse({"id": report["id"], "status": message.status})


urlpatterns = [
    path("contacts/<int:pk>/sms/", contact_sms_send, name="contact_sms"),
    path("contacts/<int:pk>/sms/count/", contact_sms_count, name="contact_sms_count"),
    path("admin/sms/", sms_list, name="sms_list"),
    path("integrations/sms/status/", sms_status_callback, name="sms_status_callback"),
]
