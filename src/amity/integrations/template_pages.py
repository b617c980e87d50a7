"""The admin pages email and SMS templates share: the list, and the editor with one set
of fields per language (each kind brings its model, form, save service and preview)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from amity.integrations.mail_forms import PreviewForm
from amity.integrations.template_context import variable_help
from amity.integrations.template_sandbox import ALLOWED_FILTERS


@dataclass(frozen=True)
class TemplatePages:
    model: type
    form: type  # a TemplateForm
    save: Callable  # (actor, template, name, default_language, versions) -> template
    urls: dict[str, str]  # url names: create, edit, archive, preview
    title: Promise  # of the list
    new_title: Promise
    preview_template: str


def syntax_help() -> str:
    return _("Variables such as %(variable)s, conditions with %(condition)s, and the filters "
             "%(filters)s. Nothing else is allowed.") % {
        "variable": "{{ contact.given_name }}",
        "condition": "{% if … %} … {% else %} … {% endif %}",
        "filters": ", ".join(sorted(ALLOWED_FILTERS))}


def template_list(request, pages: TemplatePages):
    templates = pages.model.objects.prefetch_related("versions").order_by("archived", "name")
    return render(request, "integrations/template_list.html",
                  {"templates": templates, "title": pages.title, "urls": pages.urls})


def template_edit(request, pages: TemplatePages, pk: int | None = None):
    template = get_object_or_404(pages.model, pk=pk) if pk else None
    initial = pages.form.initial_for(template) if template else {}
    form = pages.form(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            template = pages.save(actor=request.user, template=template,
                                  name=form.cleaned_data["name"],
                                  default_language=form.cleaned_data["default_language"],
                                  versions=form.versions())
        except ValidationError as exc:
            form.attach(exc)
        else:
            messages.success(request, _("The template was saved."))
            return redirect(pages.urls["edit"], template.pk)
    return render(request, "integrations/template_form.html", {
        "form": form, "template": template, "variables": variable_help(),
        "syntax_help": syntax_help(), "urls": pages.urls, "preview_form": PreviewForm(),
        "preview_template": pages.preview_template,
        "title": str(template) if template else pages.new_title,
    }, status=422 if form.errors else 200)
