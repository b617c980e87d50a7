"""A quote as a PDF in the customer's language, laid out by WeasyPrint (Pango and
HarfBuzz shape Thai and Persian; Persian runs right to left). The fonts come from
Debian's fonts-noto-core and fonts-noto-cjk (scripts/ensure-pdf-fonts)."""

from dataclasses import dataclass
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from amity.sales.models import Quote


def customer_language(quote: Quote, user=None) -> str:
    """The quote's language: its contact's, else the account's, else the user's, as one
    of the languages Amity speaks."""
    for candidate in (getattr(quote.contact, "language", ""),
                      getattr(quote.account, "language", ""),
                      getattr(user, "language", "")):
        if candidate:
            try:
                return translation.get_supported_language_variant(candidate.lower())
            except LookupError:
                continue
    return settings.LANGUAGE_CODE


def babel_locale(language: str) -> Locale:
    try:
        return Locale.parse(translation.to_locale(language))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@dataclass(frozen=True)
class Money:
    """Formats amounts of one currency for one locale."""

    currency: str
    locale: Locale

    def __call__(self, amount: Decimal) -> str:
        return format_currency(amount, self.currency, locale=self.locale)

    def number(self, value: Decimal) -> str:
        return format_decimal(value.normalize(), locale=self.locale)


def quote_context(quote: Quote, language: str) -> dict:
    """What the PDF and the customer's page show, formatted for `language`."""
    money = Money(quote.currency, babel_locale(language))
    lines = [{"product": line.product.name, "code": line.product.code,
              "description": line.description, "quantity": money.number(line.quantity),
              "unit_price": money(line.unit_price),
              "discount": money.number(line.discount_percent) if line.discount_percent else "",
              "tax": money.number(quote.tax_percent if line.tax_percent is None
                                  else line.tax_percent),
              "adjustment": money(line.adjustment) if line.adjustment else "",
              "amount": money(line.net_amount)}
             for line in quote.lines.select_related("product")]
    return {
        "quote": quote, "lines": lines, "language": language,
        "bidi": translation.get_language_info(language)["bidi"],
        "subtotal": money(quote.subtotal), "discount": money(quote.discount_amount),
        "discount_percent": money.number(quote.discount_percent),
        "tax": money(quote.tax_amount), "total": money(quote.total),
        "valid_until": format_date(quote.valid_until, "long", locale=money.locale),
        "customer": quote.account or quote.contact,
    }


def quote_pdf(quote: Quote, language: str) -> bytes:
    """The quote as PDF bytes in `language`."""
    from weasyprint import HTML  # imported here: it loads Pango, which most pages never need

    with translation.override(language):
        html = render_to_string("sales/quotes/pdf.html", quote_context(quote, language))
    return HTML(string=html).write_pdf()
