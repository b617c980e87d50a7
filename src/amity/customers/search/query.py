"""What the user typed, made safe and split into the parts the search backends use."""

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Q

from amity.core.letter_forms import LETTER_FORMS

MAX_QUERY = 200  # characters; the search form caps at the same length
MAX_TERMS = 8  # words that must all match; bounds the size of the SQL
MIN_TRIGRAM = 3  # shorter terms cannot use a trigram index: they are scanned
MIN_FUZZY = 4  # one typo in fewer letters leaves too little to compare
MAX_TRIGRAMS = 32  # trigrams a misspelt query is looked up by (SQLite)

# ASCII digits only, as the database expressions see them.
_PHONE = re.compile(r"[0-9\s()+\-./]+")
_NON_DIGIT = re.compile(r"[^0-9]+")
# A phone number typed in Persian, Arabic, Thai or full-width digits means the same digits.
_NATIVE_DIGITS = str.maketrans({chr(zero + n): str(n) for zero in (0x06F0, 0x0660, 0x0E50,
                                                                     0xFF10) for n in range(10)})


@dataclass(frozen=True)
class SearchQuery:
    """A query ready for the backends; make one with `parse_query`."""

    text: str  # as typed, without control characters, whitespace collapsed, letters as
    # the indexes hold them (core.letter_forms)
    terms: tuple[str, ...]  # every match contains each of these (case-insensitive)
    phone: bool  # the query is a phone number: terms are its digits

    @property
    def folded(self) -> str:
        """The whole query (or the phone number's digits) for comparing in Python."""
        return self.terms[0].casefold() if self.phone else self.text.casefold()

    @property
    def fuzzy(self) -> bool:
        """Whether misspellings are looked for: in words, not in emails or numbers."""
        return (not self.phone and "@" not in self.text
                and not any(ch.isdigit() for ch in self.text)
                and any(len(term) >= MIN_FUZZY for term in self.terms))

    @property
    def long_terms(self) -> tuple[str, ...]:
        """Terms a trigram index can find."""
        return tuple(t for t in self.terms if len(t) >= MIN_TRIGRAM)

    @property
    def short_terms(self) -> tuple[str, ...]:
        """Terms too short for a trigram index."""
        return tuple(t for t in self.terms if len(t) < MIN_TRIGRAM)

    def trigrams(self) -> list[str]:
        """The distinct trigrams of each word, for finding misspelt matches."""
        found: dict[str, None] = {}
        for word in self.text.casefold().split():
            for i in range(len(word) - 2):
                found.setdefault(word[i:i + 3])
        return list(found)[:MAX_TRIGRAMS]


@dataclass(frozen=True)
class Step:
    """One query for candidates; `exact` when the database has checked every term."""

    condition: Q
    exact: bool


def parse_query(raw: str) -> SearchQuery | None:
    """The query to run for `raw`, or None when nothing searchable is left."""
    # Control characters (NUL above all) are refused by PostgreSQL and mean nothing here.
    cleaned = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in raw[:MAX_QUERY])
    text = " ".join(cleaned.split()).translate(LETTER_FORMS)  # as the indexes hold them
    if not text:
        return None
    as_number = text.translate(_NATIVE_DIGITS)
    digits = _NON_DIGIT.sub("", as_number)
    if _PHONE.fullmatch(as_number) and len(digits) >= MIN_TRIGRAM:
        # Phone numbers are written many ways; the stored text also holds their digits.
        return SearchQuery(text=text, terms=(digits,), phone=True)
    terms = tuple(dict.fromkeys(text.split()))[:MAX_TERMS]
    return SearchQuery(text=text, terms=terms, phone=False)


def fold(text: str) -> str:
    """`text` as search compares it in Python: case and Arabic/Persian letter forms folded."""
    return text.casefold().translate(LETTER_FORMS)


def digits_of(value: str) -> str:
    """The digits of a phone number, as the search indexes store them."""
    return _NON_DIGIT.sub("", value)


def contains_pattern(term: str) -> str:
    """A LIKE pattern matching `term` anywhere, `term` taken literally (escape: backslash)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
