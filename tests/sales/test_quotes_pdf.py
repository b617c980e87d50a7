"""The quote PDF speaks the customer's language: Thai, Persian (right to left, shaped)
and Chinese text and amounts are in the PDF's text layer."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from amity.sales.models import PriceBook, PriceBookEntry, Product
from amity.sales.quote_pdf import customer_language, quote_pdf
from tests.conftest import api_client, make_account, make_contact, signed_in
from tests.sales.quote_helpers import make_quote

pytestmark = pytest.mark.django_db


def fold(text: str) -> str:
    """Thai SARA AM is drawn as NIKHAHIT + SARA AA (HarfBuzz's Thai shaper), and a PDF's
    text layer maps each glyph to one character: the SARA AA glyph then reads back as
    SARA AM wherever it was first used as one. The page shows the right letters; the
    comparison treats the two alike."""
    return text.replace("\u0e33", "\u0e32").replace("\u0e4d", "")


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return fold("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def quote_in(org, *, language: str, currency: str, product_name: str, terms: str):
    book = PriceBook.objects.create(name=f"Book {currency}", currency=currency)
    product = Product.objects.create(code=f"P-{currency}", name=product_name)
    PriceBookEntry.objects.create(price_book=book, product=product, unit_price=Decimal("1234.50"))
    contact = make_contact(org.owner, language=language, account=make_account(org.owner))
    from tests.sales.quote_helpers import Catalog

    catalog = Catalog(book, product, product, product)
    return make_quote(org.owner, catalog, contact=contact, terms=terms,
                      lines=[{"product": product.pk, "quantity": "2"}])


@pytest.mark.parametrize(("language", "currency", "product", "terms", "words", "amount"), [
    ("th", "THB", "ที่นั่งซอฟต์แวร์", "ชำระภายในสามสิบวัน", ["ใบเสนอราคา", "ยอดรวมทั้งสิ้น"],
     "2,469.00"),
    ("fa", "IRR", "پشتیبانی سالانه", "پرداخت ظرف سی روز", ["پیش", "فاکتور", "جمع کل", "مبلغ"],
     "2,469"),
    ("zh-Hans", "CNY", "软件许可证", "三十天内付款", ["报价单", "总计", "单价"], "2,469.00"),
])
def test_the_pdf_is_in_the_customers_language(org, language, currency, product, terms, words,
                                               amount):
    quote = quote_in(org, language=language, currency=currency, product_name=product,
                     terms=terms)
    text = pdf_text(quote_pdf(quote, customer_language(quote)))
    for word in [*product.split(), *terms.split(), *words]:
        assert fold(word) in text, word
    assert amount in text
    assert quote.number in text


def test_the_language_falls_back_to_the_users(org):
    org.owner.language = "zh-hans"
    quote = quote_in(org, language="", currency="CNY", product_name="茶", terms="")
    assert customer_language(quote, org.owner) == "zh-hans"
    assert customer_language(quote) == "en"
    quote.contact.language = "de-CH"  # a language Amity does not speak
    assert customer_language(quote, org.owner) == "zh-hans"


def test_an_accounts_language_comes_before_the_users(org):
    from amity.core.services import record_update

    org.owner.language = "zh-hans"
    quote = quote_in(org, language="", currency="THB", product_name="ชา", terms="")
    record_update(record=quote.account, user=org.owner, data={"language": "th"})
    quote.account.refresh_from_db()
    assert customer_language(quote, org.owner) == "th"


def test_the_pdf_page_and_endpoint_answer_a_pdf_and_another_teams_quote_is_404(org):
    quote = quote_in(org, language="th", currency="THB", product_name="ชา", terms="")
    response = signed_in(org.teammate).get(f"/quotes/{quote.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert fold("ชา") in pdf_text(response.content)
    assert signed_in(org.outsider).get(f"/quotes/{quote.pk}/pdf/").status_code == 404
    api = api_client(org.owner)
    english = api.get(f"/api/v1/quotes/{quote.pk}/pdf?language=en")
    assert english.status_code == 200 and "Total" in pdf_text(english.content)
    assert api.get(f"/api/v1/quotes/{quote.pk}/pdf?language=xx").status_code == 422
    assert api_client(org.outsider).get(f"/api/v1/quotes/{quote.pk}/pdf").status_code == 404
