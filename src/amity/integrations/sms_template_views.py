"""Admin -> SMS templates: list, edit (one text per language), preview for a contact,
archive; and filling the contact page's message box from a template."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from amity.customers.models import Contact
from amity.integrations import sms_templates, template_pages
from amity.integrations.mail_forms import PreviewForm, SmsTemplateForm
from amity.integrations.mail_views import find_contact
from amity.integrations.models import SmsTemplate
from amity.integrations.sms import sms_segments
from amity.integrations.template_pages import TemplatePages
from amity.org.views import admin_required

URLS = {"create": "sms_template_create", "edit": "sms_template_edit",
        "archive": "sms_template_archive", "preview": "sms_template_preview"}


PAGES = TemplatePages(SmsTemplate, SmsTemplateForm, sms_templates.sms_template_save, URLS,
                      gettext_lazy("SMS templates"), gettext_lazy("New SMS template"),
                      "integrations/_sms_preview.html")


@admin_required
def template_list(request):
    return template_pages.template_list(request, PAGES)


@admin_required
def template_edit(request, pk: int | None = None):
    return template_pages.template_edit(request, PAGES, pk)


@admin_required
@require_POST
def template_preview(request, pk: int):
    """The text for a contact the administrator can see, with its parts count (HTMX)."""
    template = get_object_or_404(SmsTemplate, pk=pk)
    form, text, parts = PreviewForm(request.POST), None, None
    if form.is_valid():
        contact = find_contact(request.user, form.cleaned_data["contact"])
        if contact is None:
            form.add_error("contact", _("No contact you can see has this address or number."))
        else:
            try:
                text = sms_templates.render_sms(template=template, contact=contact,
                                                user=request.user)
                parts = sms_segments(text)[1]
            except ValidationError as exc:
                form.add_error(None, exc.messages)
    return render(request, "integrations/_sms_preview.html", {
        "preview_form": form, "text": text, "parts": parts, "template": template,
        "urls": URLS}, status=422 if form.errors else 200)


@admin_required
@require_POST
def template_archive(request, pk: int):
    SmsTemplate.objects.filter(pk=get_object_or_404(SmsTemplate, pk=pk).pk).update(archived=True)
    messages.success(request, _("The template was archived."))
    return redirect("sms_template_list")


@login_required
@require_POST
def contact_sms_fill(request, pk: int):
    """Put a template's text for this contact into the message box, to read and send."""
    from amity.integrations.sms_views import SmsForm, sms_form_panel

    contact = get_object_or_404(Contact.objects.editable_by(request.user), pk=pk)
    template = SmsTemplate.objects.filter(pk=request.POST.get("template") or 0,
                                          archived=False).first()
    data = request.POST.copy()
    if template is not None:
        try:
            data["body"] = sms_templates.render_sms(template=template, contact=contact,
                                                    user=request.user)
        except ValidationError as exc:
            form = SmsForm(data, contact=contact)
            form.add_error("template", exc.messages)
            return sms_form_panel(request, contact, form, status=422)
    return sms_form_panel(request, contact, SmsForm(initial=data.dict(), contact=contact))


urlpatterns = [
    path("admin/sms/templates/", template_list, name="sms_template_list"),
    path("admin/sms/templates/new/", template_edit, name="sms_template_create"),
    path("admin/sms/templates/<int:pk>/", template_edit, name="sms_template_edit"),
    path("admin/sms/templates/<int:pk>/preview/", template_preview,
         name="sms_template_preview"),
    path("admin/sms/templates/<int:pk>/archive/", template_archive,
         name="sms_template_archive"),
    path("contacts/<int:pk>/sms/fill/", contact_sms_fill, name="contact_sms_fill"),
]
