"""Character sets of imported text files: detection on a bounded sample, and decoding
that marks undecodable bytes so the row holding them can be named."""

import codecs
import io
import re
import unicodedata
from itertools import islice
from typing import BinaryIO

import charset_normalizer
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.customers.imports.table import RowError

# The character sets offered to the user, by Python codec name.
ENCODINGS = {
    "utf-8": gettext_lazy("Unicode (UTF-8)"),
    "utf-16": gettext_lazy("Unicode (UTF-16, Excel “Unicode text”)"),
    "cp874": gettext_lazy("Thai (TIS-620, Windows-874)"),
    "cp1256": gettext_lazy("Persian and Arabic (Windows-1256)"),
    "gb18030": gettext_lazy("Chinese, simplified (GB18030, GBK, GB2312)"),
}
SAMPLE_BYTES = 64 * 1024
# Slices from later in the file too: the head may be plain ASCII (emails, phone numbers).
_PROBE_BYTES = 16 * 1024

# Undecodable bytes become this lone surrogate, which no successful decoding produces,
# so a cell holding it is exactly a cell whose bytes were not in the chosen encoding.
MARK = "\udcff"
_HANDLER = "amity.imports.mark"
_TEXT_CONTROLS = "\t\n\r\f\v\x1a"  # \x1a: the end-of-file mark of old DOS programs
codecs.register_error(_HANDLER, lambda error: (MARK, error.end))


def canonical(name: str) -> str | None:
    """Python's name for an encoding the user chose, or None if there is no such codec."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def sample(file: BinaryIO, size: int) -> bytes:
    """The head of the file plus slices from its middle and its end, cut at line ends."""
    file.seek(0)
    head = file.read(SAMPLE_BYTES)
    if size <= SAMPLE_BYTES:
        return head
    parts = [_cut(head, start=False)]
    for start in (size // 3, size * 2 // 3, size - _PROBE_BYTES):
        file.seek(max(start, SAMPLE_BYTES))
        parts.append(_cut(file.read(_PROBE_BYTES), start=True))
    file.seek(0)
    return b"\n".join(parts)


def _cut(data: bytes, *, start: bool) -> bytes:
    # Cutting at a line feed never splits a character in UTF-8, cp874, cp1256 or GB18030.
    begin = data.find(b"\n") + 1 if start else 0
    end = data.rfind(b"\n")
    if end < begin:
        return b"" if start else data  # one long line: keep the head as it is
    return data[begin:end + 1]


def detect(data: bytes) -> str | None:
    """The encoding of a sample: byte-order mark, then UTF-16 by its zero bytes, then
    UTF-8, then the legacy encoding whose script the decoded text is written in."""
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return name
    if utf16 := _utf16_without_bom(data[:4096]):
        return utf16
    if b"\x00" in data:
        return None
    try:
        # Not final: a sample cut inside a long line may end inside a character.
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    return _legacy(data)


def _utf16_without_bom(head: bytes) -> str | None:
    # Mostly-Latin UTF-16 has a zero in every other byte; no 8-bit text has that.
    pairs = len(head) // 2
    if pairs < 8:
        return None
    even, odd = head[0:pairs * 2:2].count(0), head[1:pairs * 2:2].count(0)
    if odd > pairs * 0.3 and even < pairs * 0.05:
        return "utf-16-le"
    if even > pairs * 0.3 and odd < pairs * 0.05:
        return "utf-16-be"
    return None


def _legacy(data: bytes) -> str | None:
    # charset-normalizer alone misreads short samples (a page of Chinese names as Thai:
    # any run of high bytes decodes to Thai letters), so its candidates are ranked by how
    # much of the decoded text is well-formed in that encoding's own script.
    ranked = []
    for order, match in enumerate(charset_normalizer.from_bytes(data, cp_isolation=_LEGACY)):
        name = canonical(match.encoding)
        if name in _LEGACY:
            ranked.append((plausibility(str(match), name), -order, name))
    return max(ranked)[2] if ranked else None


_LEGACY = ["cp874", "cp1256", "gb18030"]
_JUDGED_CHARS = 20_000
_FOREIGN = re.compile(r"[^\x00-\x7f]")


def plausibility(text: str, encoding: str) -> float:
    """The share of non-ASCII characters in `text` that are well placed letters of the
    script `encoding` (a legacy one) is made for."""
    check = {"cp874": _thai, "cp1256": _persian, "gb18030": _chinese}[encoding]
    places = [found.start() for found in islice(_FOREIGN.finditer(text), _JUDGED_CHARS)]
    return sum(1 for i in places if check(text, i)) / len(places) if places else 0.0


_PUNCTUATION = "…‘’“”–—€\xa0"
_THAI_MARKS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a" + "".join(
    chr(c) for c in range(0x0E47, 0x0E4F))


def _thai(text: str, i: int) -> bool:
    ch = text[i]
    if "\u0e01" <= ch <= "\u0e30" or ch in "\u0e32\u0e33\u0e45\u0e46" or (
            "\u0e50" <= ch <= "\u0e59"):
        return True
    if ch in _THAI_MARKS:  # vowel and tone marks sit on a consonant (or on another mark)
        return i > 0 and ("\u0e01" <= text[i - 1] <= "\u0e2e" or text[i - 1] in _THAI_MARKS)
    if "\u0e40" <= ch <= "\u0e44":  # vowels written before their consonant
        return "\u0e01" <= text[i + 1:i + 2] <= "\u0e2e"
    return ch in _PUNCTUATION


def _persian(text: str, i: int) -> bool:
    ch = text[i]
    if "\u0621" <= ch <= "\u063a" or "\u0641" <= ch <= "\u064a":
        return True
    if "\u064b" <= ch <= "\u0652":  # short-vowel marks sit on a letter
        return i > 0 and "\u0621" <= text[i - 1] <= "\u06cc"
    return ch in "\u067e\u0686\u0698\u06a9\u06af\u06cc\u060c\u061b\u061f\u0640\u200c" + (
        _PUNCTUATION)


def _chinese(text: str, i: int) -> bool:
    ch = text[i]
    if "\u3000" <= ch <= "\u303f" or "\uff01" <= ch <= "\uff5e":
        return True
    try:
        code = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return 0xB0 <= code[0] <= 0xD7  # the 3,755 common characters (GB 2312 level 1)


def looks_binary(text: str) -> bool:
    """True when decoded text is not text: more than 1% control characters."""
    # Undecodable bytes are not counted: a wrong encoding is reported per row instead.
    odd = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in _TEXT_CONTROLS)
    return odd > len(text) // 100


def decode_sample(data: bytes, encoding: str) -> str:
    return codecs.getincrementaldecoder(encoding)(errors=_HANDLER).decode(data, final=False)


def open_text(file: BinaryIO, encoding: str) -> io.TextIOWrapper:
    """The file from its start as text; detach the wrapper when done, or it closes the file."""
    file.seek(0)
    return io.TextIOWrapper(file, encoding=encoding, errors=_HANDLER,
                            newline="")


def label(encoding: str) -> str:
    """The user's name for an encoding: its label if it is one we offer, else its codec name."""
    names = {"utf-8-sig": "utf-8", "utf-16-le": "utf-16", "utf-16-be": "utf-16"}
    return str(ENCODINGS.get(names.get(encoding, encoding), encoding))


def undecodable(number: int, column: str, encoding: str) -> RowError:
    """The error for a cell whose bytes are not text in `encoding`."""
    return RowError(number, column, _(
        "Row %(row)s, column “%(column)s”: the text is not valid %(encoding)s. "
        "Choose the file's character set and import it again.")
        % {"row": number, "column": column, "encoding": label(encoding)})
