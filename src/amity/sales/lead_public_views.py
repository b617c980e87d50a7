"""The public end of web-to-lead forms, /f/<token>: Amity's own page for the form and the
endpoint pages on other sites post to. No sign-in and no CSRF token (other sites cannot
have one); spam is kept out by a rate limit per address, a honeypot and a timestamp."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import is_ratelimited

from amity.sales.lead_capture import (
    HONEYPOT,
    STAMP,
    form_stamp,
    lead_capture_submit,
    public_form_class,
    stamp_problem,
)
from amity.sales.models import LeadForm

logger = logging.getLogger("amity.sales.leads")


def _lead_form(token: str) -> LeadForm:
    lead_form = LeadForm.objects.filter(token=token, active=True).select_related(
        "owner", "team").first()
    if lead_form is None:
        raise Http404
    return lead_form


def _with_cors(request: HttpRequest, lead_form: LeadForm, response: HttpResponse):
    """Let the form's allowed origins read the answer (and frame Amity's page); no one else."""
    origin = (request.headers.get("Origin") or "").rstrip("/")
    if origin and origin in lead_form.origins:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type"
        response["Access-Control-Max-Age"] = "3600"
    response["Vary"] = "Origin"
    if lead_form.origins:
        # CSP frame-ancestors names the sites; X-Frame-Options cannot, so it steps aside.
        response._csp_replace = {"frame-ancestors": ["'self'", *lead_form.origins]}
        response.xframe_options_exempt = True
    return response


def _page(request, lead_form: LeadForm, form, *, status: int = 200, problem: str = ""):
    return render(request, "sales/leads/public_form.html", {
        "lead_form": lead_form, "form": form, "stamp": form_stamp(lead_form),
        "honeypot": HONEYPOT, "stamp_name": STAMP, "problem": problem,
        "title": lead_form.name}, status=status)


def _thanks(request, lead_form: LeadForm):
    return render(request, "sales/leads/public_thanks.html",
                  {"lead_form": lead_form, "title": lead_form.name})


@csrf_exempt
def public_form(request: HttpRequest, token: str) -> HttpResponse:
    lead_form = _lead_form(token)
    if request.method == "OPTIONS":
        return _with_cors(request, lead_form, HttpResponse(status=204))
    if request.method != "POST":
        return _with_cors(request, lead_form, _page(request, lead_form,
                                                    public_form_class(lead_form)()))
    return _with_cors(request, lead_form, _submit(request, lead_form))


def _submit(request: HttpRequest, lead_form: LeadForm) -> HttpResponse:
    if is_ratelimited(request, group="lead_form", key="ip", rate=settings.LEAD_FORM_RATE,
                      increment=True):
        return render(request, "sales/leads/public_limited.html",
                      {"lead_form": lead_form, "title": lead_form.name}, status=429)
    form = public_form_class(lead_form)(request.POST)
    if request.POST.get(HONEYPOT):
        return _thanks(request, lead_form)  # a bot: it should not learn it was caught
    if problem := stamp_problem(lead_form, request.POST.get(STAMP, "")):
        form.is_valid()  # show what was typed, with its errors too
        return _page(request, lead_form, form, status=422, problem=problem)
    if not form.is_valid():
        return _page(request, lead_form, form, status=422)
    try:
        lead_capture_submit(lead_form=lead_form, data=form.cleaned_data)
    except PermissionDenied:
        # The form's owner left or lost the right: say so, and tell the administrators.
        logger.error("Lead form %s: its owner may not create leads; a lead was refused.",
                     lead_form.pk)
        return _page(request, lead_form, form, status=503, problem=_(
            "This form cannot take messages at the moment. Please try again later."))
    return _thanks(request, lead_form)


@csrf_exempt
def public_form_stamp(request: HttpRequest, token: str) -> HttpResponse:
    """A fresh timestamp for a form embedded on another site (its script asks for it)."""
    lead_form = _lead_form(token)
    if request.method == "OPTIONS":
        return _with_cors(request, lead_form, HttpResponse(status=204))
    return _with_cors(request, lead_form, JsonResponse({"stamp": form_stamp(lead_form)}))


urlpatterns = [
    path("f/<str:token>", public_form, name="lead_public_form"),
    path("f/<str:token>/stamp", public_form_stamp, name="lead_public_stamp"),
]
