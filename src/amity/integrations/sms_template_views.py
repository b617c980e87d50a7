"""Admin -> SMS templates: list, edit (one text per language), preview for a contact,
archive; and filling the contact page's message box from a template."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amity.customers.models import Contact
from amity.integrations import sms_templates
from amity.integrations.mail_forms import PreviewForm, SmsTemplateForm
from amity.integrations.mail_views import find_contact, syntax_help
from amity.integrations.models import SmsTemplate
from amity.integrations.sms import sms_segments
from amity.integrations.template_context import variable_help
from amity.org.views import admin_required

URLS = {"create": "sms_template_create", "edit": "sms_template_edit",
        "archive": "sms_template_archive", "preview": "sms_template_preview"}


@admin_required
def template_list(request):
    templates = SmsTemplate.objects.prefetch_related("versions").order_by("archived", "name")
    return render(request, "integrations/template_list.html",
                  {"templates": templates, "title": _("SMS templates"), "urls": URLS})


@admin_required
def template_edit(request, pk: int | None = None):
    template = get_object_or_404(SmsTemplate, pk=pk) if pk else None
    initial = SmsTemplateForm.initial_for(template) if template else {}
    form = SmsTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            template = sms_templates.sms_template_save(
                actor=request.user, template=template, name=form.cleaned_data["name"],
                default_language=form.cleaned_data["default_language"],
                versions=form.versions())
        except ValidationError as exc:
            form.attach(exc)
        else:
            messages.success(request, _("The template was saved."))
            return redirect("sms_template_edit", template.pk)
    return render(request, "integrations/template_form.html", {
        "form": form, "template": template, "variables": variable_help(),
        "syntax_help": syntax_help(), "urls": URLS, "preview_form": PreviewForm(),
        "preview_template": "integrations/_sms_preview.html",
        "title": str(template) if template else _("New SMS template"),
    }, status=422 if form.errors else 200)


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
