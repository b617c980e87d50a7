"""Quote pages: the generic list, create and detail pages with the quote's own panels
(lines, approval, sending, versions), the PDF, and the customer's signed-link page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amity.sales import quote_links, quote_services
from amity.sales.models import Quote
from amity.sales.quote_forms import (
    CommentForm,
    DeclineForm,
    QuoteFilter,
    QuoteForm,
    QuoteLineForm,
    QuoteTable,
)
from amity.sales.quote_pdf import customer_language, quote_context, quote_pdf
from amity.web import records
from amity.web.records import RecordUI, VersionForm

QUOTES = RecordUI(
    model=Quote, form=QuoteForm, table=QuoteTable, filterset=QuoteFilter,
    sorts={"updated_at": "updated_at"}, related=("account", "contact"),
    panels=("sales/quotes/_lines.html", "sales/quotes/_workflow.html"),
)


def _visible(request, pk: int) -> Quote:
    return get_object_or_404(Quote.objects.visible_to(request.user), pk=pk)


def _refused(request, exc: Exception) -> None:
    """Tell the user why an action was refused (the messages name the field's problem)."""
    if isinstance(exc, ValidationError):
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.error(request, _("Your role does not allow this."))


def _act(request, pk: int, action) -> HttpResponse:
    """Run `action(quote)` and come back to the quote's page, with its outcome said."""
    quote = _visible(request, pk)
    try:
        result = action(quote)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
        return redirect(quote)
    return redirect(result if isinstance(result, Quote) else quote)


@login_required
def quote_edit(request, pk: int) -> HttpResponse:
    """The inline edit of the key facts, saved through quote_update (totals follow)."""
    quote = get_object_or_404(Quote.objects.editable_by(request.user), pk=pk)
    form = QUOTES.make_form(request.user, request.POST or None, instance=quote)
    version = VersionForm(request.POST or None, initial={"version": quote.version})
    context = {"ui": QUOTES, "record": quote, "form": form, "version_form": version}
    if request.method != "POST":
        return render(request, "records/_facts_form.html", context)
    version.is_valid()
    fresh = Quote.objects.get(pk=pk)
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            quote_services.quote_update(quote=fresh, user=request.user, data=data,
                                        version=version.cleaned_data.get("version"))
        except ValidationError as exc:
            records._attach_errors(form, exc)
        else:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = fresh.get_absolute_url()
            return response
    return render(request, "records/_facts_form.html", context, status=422)


@login_required
@require_POST
def quote_line_add(request, pk: int) -> HttpResponse:
    form = QuoteLineForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}")
        return redirect(_visible(request, pk))
    return _act(request, pk, lambda quote: quote_services.quote_line_add(
        quote=quote, user=request.user, line=form.cleaned_data))


@login_required
@require_POST
def quote_line_remove(request, pk: int, line_pk: int) -> HttpResponse:
    return _act(request, pk, lambda quote: quote_services.quote_line_remove(
        quote=quote, user=request.user, line_id=line_pk))


def _comment(request) -> str:
    form = CommentForm(request.POST)
    return form.cleaned_data["comment"] if form.is_valid() else ""


@login_required
@require_POST
def quote_approve(request, pk: int) -> HttpResponse:
    return _act(request, pk, lambda quote: quote_services.quote_approve(
        quote=quote, user=request.user, comment=_comment(request)))


@login_required
@require_POST
def quote_reject(request, pk: int) -> HttpResponse:
    return _act(request, pk, lambda quote: quote_services.quote_reject(
        quote=quote, user=request.user, comment=_comment(request)))


@login_required
@require_POST
def quote_revise(request, pk: int) -> HttpResponse:
    return _act(request, pk, lambda quote: quote_services.quote_revise(
        quote=quote, user=request.user))


def link_builder(request):
    """Absolute URLs of the customer's answer page, for the email."""
    return lambda token: request.build_absolute_uri(reverse("quote_respond", args=[token]))


@login_required
@require_POST
def quote_send(request, pk: int) -> HttpResponse:
    def send(quote):
        quote_links.quote_send(quote=quote, user=request.user, link_for=link_builder(request))
        messages.success(request, _("The quote was sent to %(contact)s.")
                         % {"contact": quote.contact})
        return quote
    return _act(request, pk, send)


@login_required
def quote_pdf_view(request, pk: int) -> HttpResponse:
    quote = _visible(request, pk)
    pdf = quote_pdf(quote, customer_language(quote, request.user))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{quote.number}-v{quote.revision}.pdf"'
    return response


def quote_respond(request, token: str) -> HttpResponse:
    """The customer's page: the quote, and accept or decline (no sign-in; the signed
    link is the key)."""
    try:
        quote = quote_links.quote_from_link(token)
    except quote_links.LinkProblem as exc:
        return render(request, "sales/quotes/respond.html", {"problem": str(exc)}, status=410)
    language = customer_language(quote)
    form = DeclineForm(request.POST or None)
    with translation.override(language):
        if request.method == "POST":
            return _answer(request, token, form, language)
        return render(request, "sales/quotes/respond.html",
                      {**quote_context(quote, language), "form": form, "token": token})


def _answer(request, token: str, form: DeclineForm, language: str) -> HttpResponse:
    try:
        if request.POST.get("answer") == "accept":
            quote_links.quote_accept(token=token)
            done = _("Thank you: your order is placed.")
        else:
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            quote_links.quote_decline(token=token, reason=reason)
            done = _("Thank you: the quote is declined.")
    except quote_links.LinkProblem as exc:
        return render(request, "sales/quotes/respond.html", {"problem": str(exc)}, status=410)
    except ValidationError as exc:
        return render(request, "sales/quotes/respond.html",
                      {"problem": " ".join(exc.messages)}, status=422)
    return render(request, "sales/quotes/respond.html", {
        "done": done, "language": language,
        "bidi": translation.get_language_info(language)["bidi"]})


def _bind(view):
    return login_required(lambda request, **kw: view(request, QUOTES, **kw))


urlpatterns = [
    path("quotes/", _bind(records.list_view), name="quote_list"),
    path("quotes/new/", _bind(records.create_view), name="quote_create"),
    path("quotes/export.<str:fmt>", _bind(records.export_view), name="quote_export"),
    path("quotes/<int:pk>/", _bind(records.detail_view), name="quote_detail"),
    path("quotes/<int:pk>/edit/", quote_edit, name="quote_edit"),
    path("quotes/<int:pk>/assign/", _bind(records.assign_view), name="quote_assign"),
    path("quotes/<int:pk>/delete/", _bind(records.delete_view), name="quote_delete"),
    path("quotes/<int:pk>/timeline/", _bind(records.timeline_view), name="quote_timeline"),
    path("quotes/<int:pk>/lines/", quote_line_add, name="quote_line_add"),
    path("quotes/<int:pk>/lines/<int:line_pk>/remove/", quote_line_remove,
         name="quote_line_remove"),
    path("quotes/<int:pk>/approve/", quote_approve, name="quote_approve"),
    path("quotes/<int:pk>/reject/", quote_reject, name="quote_reject"),
    path("quotes/<int:pk>/send/", quote_send, name="quote_send"),
    path("quotes/<int:pk>/revise/", quote_revise, name="quote_revise"),
    path("quotes/<int:pk>/pdf/", quote_pdf_view, name="quote_pdf"),
    path("q/<str:token>/", quote_respond, name="quote_respond"),
]
