"""Sending a quote to its customer and the customer's answer through a signed link
(no sign-in): accept, which places the order, or decline with an optional reason."""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amity.integrations.mail_out import Attachment, email_send
from amity.integrations.models import EmailTemplate, EmailTemplateVersion, OutboundEmail
from amity.integrations.models.mail_out import TEMPLATE_LANGUAGES
from amity.sales.models import Order, Quote, QuoteStatus
from amity.sales.order_services import order_from_quote
from amity.sales.quote_lines import apply_rules
from amity.sales.quote_pdf import customer_language, quote_context, quote_pdf
from amity.sales.quote_services import needs_approval, publish_to_customer

SALT = "amity.sales.quote-link"
TEMPLATE_NAME = "Quote (Amity)"
REASON_MAX = 2000


class LinkProblem(Exception):
    """Why a customer's link cannot be used (shown to them as it is)."""


def quote_token(quote: Quote) -> str:
    return signing.dumps({"q": quote.pk, "r": quote.revision}, salt=SALT, compress=True)


def quote_email_template() -> EmailTemplate:
    """The message a quote is sent with; administrators may edit it like any template."""
    template, created = EmailTemplate.objects.get_or_create(
        name=TEMPLATE_NAME, defaults={"default_language": "en"})
    if created:
        for code, _label in TEMPLATE_LANGUAGES:
            with translation.override(code):
                EmailTemplateVersion.objects.create(
                    template=template, language=code,
                    subject=_("Quote %(number)s") % {"number": "{{ extra.number }}"},
                    html_body="<p>" + _("Please find our quote %(number)s attached, "
                                        "%(total)s, valid until %(date)s.") % {
                        "number": "{{ extra.number }}", "total": "{{ extra.total }}",
                        "date": "{{ extra.valid_until }}"} + "</p><p>"
                    + _("To accept or decline it, open this link:") + " "
                    + '<a href="{{ extra.link }}">{{ extra.link }}</a></p>')
    return template


def _check_sendable(quote: Quote) -> None:
    if quote.superseded_by_id:
        raise ValidationError({"status": [_("A newer version of this quote exists.")]})
    if quote.status == QuoteStatus.PENDING_APPROVAL or (
            quote.status == QuoteStatus.DRAFT and needs_approval(quote)):
        raise ValidationError({"status": [_(
            "The discount on this quote is waiting for a manager's approval; it cannot be "
            "sent before it is approved.")]})
    if quote.status not in (QuoteStatus.DRAFT, QuoteStatus.APPROVED):
        raise ValidationError({"status": [_("A quote that is %(status)s cannot be sent again; "
                                            "revise it to make a new version.")
                                          % {"status": quote.get_status_display().lower()}]})
    if not quote.lines.exists():
        raise ValidationError({"lines": [_("Add at least one line before sending.")]})
    problems = apply_rules(book=quote.price_book, selection=[
        (line.product, line.quantity) for line in quote.lines.select_related("product")]).problems
    if problems:
        raise ValidationError({"lines": problems})
    if quote.valid_until < timezone.localdate():
        raise ValidationError({"valid_until": [_("The validity date has passed.")]})
    if quote.contact is None:
        raise ValidationError({"contact": [_("Choose the contact to send the quote to.")]})


def quote_send(*, quote: Quote, user, link_for: Callable[[str], str]) -> OutboundEmail:
    """Email the quote's PDF, in the customer's language, with a signed link to answer it
    (`link_for(token)` makes the absolute URL). Refused while a discount awaits approval
    or without the contact's consent to email; nothing changes then."""
    with transaction.atomic():
        found = Quote.objects.visible_to(user).select_for_update(of=("self",)) \
            .filter(pk=quote.pk).first()
        if found is None:
            raise ObjectDoesNotExist
        if not Quote.objects.editable_by(user).filter(pk=quote.pk).exists():
            raise PermissionDenied
        _check_sendable(found)
        language = customer_language(found, user)
        context = quote_context(found, language)
        message = email_send(
            user=user, contact=found.contact, template=quote_email_template(),
            idempotency_key=f"quote:{found.pk}", extra_context={
                "number": found.number, "total": context["total"],
                "valid_until": context["valid_until"], "link": link_for(quote_token(found))},
            attachments=[Attachment(f"{found.number}-v{found.revision}.pdf", "application/pdf",
                                    quote_pdf(found, language))])
        found.status, found.sent_at = QuoteStatus.SENT, timezone.now()
        found.save(update_fields=["status", "sent_at", "updated_at"])
        publish_to_customer(found, "quote.sent", user, {
            "quote_id": found.pk, "number": found.number, "revision": found.revision,
            "total": str(found.total), "currency": found.currency, "email_id": message.pk})
    return message


def quote_from_link(token: str, *, lock: bool = False) -> Quote:
    """The quote a link names, if the customer may still answer it; else LinkProblem
    saying why (tampered, expired, superseded, already answered)."""
    try:
        data = signing.loads(token, salt=SALT,
                             max_age=dt.timedelta(days=settings.QUOTE_LINK_MAX_AGE_DAYS))
    except signing.SignatureExpired:
        raise LinkProblem(_("This link has expired.")) from None
    except signing.BadSignature:
        raise LinkProblem(_("This link is not valid.")) from None
    rows = Quote.objects.select_related("account", "contact")
    if lock:
        rows = rows.select_for_update(of=("self",))
    quote = rows.filter(pk=data.get("q"), revision=data.get("r")).first()
    if quote is None:
        raise LinkProblem(_("This quote is no longer available."))
    if quote.superseded_by_id:
        raise LinkProblem(_("This quote was replaced by a newer version; use the link in "
                            "the newer message."))
    if quote.status in (QuoteStatus.ACCEPTED, QuoteStatus.DECLINED):
        raise LinkProblem(_("This quote was already %(status)s.")
                          % {"status": quote.get_status_display().lower()})
    if quote.status == QuoteStatus.EXPIRED or quote.valid_until < timezone.localdate():
        raise LinkProblem(_("This quote has expired."))
    if quote.status != QuoteStatus.SENT:
        raise LinkProblem(_("This link is not valid."))
    return quote


def quotes_expire(today: dt.date | None = None) -> int:
    """Mark sent quotes past their validity date as expired (their links already say so);
    how many. Run again, it finds none of them twice."""
    today = today or timezone.localdate()
    expired = 0
    for pk in Quote.objects.filter(status=QuoteStatus.SENT, valid_until__lt=today) \
            .values_list("pk", flat=True)[:1000]:
        with transaction.atomic():
            quote = Quote.objects.select_for_update(of=("self",)).select_related(
                "account", "contact").filter(pk=pk, status=QuoteStatus.SENT).first()
            if quote is None:
                continue
            quote.status = QuoteStatus.EXPIRED
            quote.save(update_fields=["status", "updated_at"])
            publish_to_customer(quote, "quote.expired", None,
                                {"quote_id": quote.pk, "number": quote.number})
            expired += 1
    return expired


def quote_accept(*, token: str) -> Order:
    """The customer accepts: the quote is accepted and its order placed, in one
    transaction."""
    with transaction.atomic():
        quote = quote_from_link(token, lock=True)
        quote.status, quote.answered_at = QuoteStatus.ACCEPTED, timezone.now()
        quote.save(update_fields=["status", "answered_at", "updated_at"])
        publish_to_customer(quote, "quote.accepted", None,
                            {"quote_id": quote.pk, "number": quote.number,
                             "total": str(quote.total), "currency": quote.currency})
        return order_from_quote(quote=quote)


def quote_decline(*, token: str, reason: str = "") -> Quote:
    """The customer declines, optionally saying why."""
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [_("Write at most %(max)s characters.")
                                          % {"max": REASON_MAX}]})
    with transaction.atomic():
        quote = quote_from_link(token, lock=True)
        quote.status, quote.answered_at = QuoteStatus.DECLINED, timezone.now()
        quote.decline_reason = reason
        quote.save(update_fields=["status", "answered_at", "decline_reason", "updated_at"])
        publish_to_customer(quote, "quote.declined", None,
                            {"quote_id": quote.pk, "number": quote.number, "reason": reason})
    return quote
