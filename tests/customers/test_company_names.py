"""Which company names name the same organisation (import linking, duplicate accounts)."""

import pytest

from amity.customers.company_names import company_core


@pytest.mark.parametrize(("one", "other"), [
    ("Siam Fresh Foods Co., Ltd.", "Siam Fresh Foods"),
    ("ACME  Limited", "Acme Ltd"),
    ("บริษัท สยาม ฟู้ดส์ จำกัด (มหาชน)", "สยาม ฟู้ดส์"),  # SARA AM survives NFKC
    ("บจก. ข้าวหอม", "ข้าวหอม"),
    ("上海华为技术有限公司", "上海华为技术"),  # no space before the legal form
    ("شركت پارس", "پارس"),  # Arabic kaf in شركت
    ("Ｓｉａｍ Ｆｏｏｄｓ", "Siam Foods"),  # full-width letters
])
def test_the_same_organisation(one, other):
    assert company_core(one) == company_core(other) != ""


@pytest.mark.parametrize(("one", "other"), [
    ("Cobalt Inc", "Balt Inc"),  # "co" is a legal form only as a word
    ("Siam Fresh Foods", "Siam Fresh"),
    ("Acme Inc", "Acne Inc"),
])
def test_different_organisations(one, other):
    assert company_core(one) != company_core(other)


def test_a_legal_form_alone_names_nothing():
    assert company_core("Co., Ltd.") == ""
