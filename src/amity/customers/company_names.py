"""The part of an organisation's name that says which organisation it is: without its
legal form, case, punctuation or spacing, Arabic letter forms as Persian ("Siam Fresh Foods
Co., Ltd." is "Siam Fresh Foods", "شركت پارس" is "پارس"). The duplicate finder compares
accounts by it; the import links a company column to an account by it."""

import re
import unicodedata

from amity.core.letter_forms import LETTER_FORMS

# Legal forms say nothing about which organisation it is ("Acme Ltd" is "Acme Limited").
# Whole words only: "co" is a form, "cobalt" is a name.
LEGAL_FORMS = ("ltd", "limited", "inc", "incorporated", "llc", "corp", "corporation", "co",
               "company", "group", "plc", "gmbh", "sa", "pte", "จำกัด", "(มหาชน)", "มหาชน",
               "บริษัท", "บจก", "บมจ", "หจก", "سهامی خاص", "سهامی عام", "و شرکا", "شرکت")
# Chinese puts no space before them: dropped wherever they stand.
CJK_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "集团", "股份")

_SEPARATORS = re.compile(r"[\s.,()&'\"\-\u200c]+")


def _folded(text: str) -> str:
    """Full-width letters and Thai SARA AM as NFKC has them, any case, Persian forms."""
    return unicodedata.normalize("NFKC", text).casefold().translate(LETTER_FORMS)


_ANY_FORM = "|".join(re.escape(_folded(form))
                     for form in sorted(LEGAL_FORMS, key=len, reverse=True))
_WORD_FORMS = re.compile(rf"(?<=[\s,.])(?:{_ANY_FORM})(?=[\s,.])")
_CJK_FORMS = re.compile("|".join(map(re.escape, CJK_FORMS)))


def company_core(name: str) -> str:
    """The organisation's name as compared ("" if it is only a legal form)."""
    text = _WORD_FORMS.sub(" ", f" {_folded(name)} ")
    return _SEPARATORS.sub("", _CJK_FORMS.sub(" ", text))
