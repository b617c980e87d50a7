"""Reading raw RFC 822 mail as it really arrives: broken MIME, missing headers and
charsets that are undeclared or wrong.

The stdlib parser (policy.default) gives the structure and records defects rather
than failing. Header values are read raw and decoded here, and every text is decoded
by its declared charset only when the bytes fit it; otherwise charset-normalizer
guesses (Thai in TIS-620 labelled UTF-8, undeclared GB18030 or cp1256), and the
problem is noted on the message. Nothing here touches the database."""

import codecs
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from charset_normalizer import from_bytes

from amity.integrations.mail_reasons import EMPTY, NOT_MAIL, Reason

MAX_PARTS = 200
MAX_DEPTH = 20
MAX_REFERENCES = 50
MESSAGE_ID_MAX = 250
GUESS_THRESHOLD = 0.5
# Headers one of which any real message has; without any, the bytes are not mail.
MAIL_HEADERS = {"from", "to", "cc", "subject", "date", "message-id", "received",
                "mime-version", "content-type", "return-path", "sender", "reply-to"}
_ANGLE_ID = re.compile(rf"<([^<>\s]{{1,{MESSAGE_ID_MAX}}})>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class UnreadableMessage(Exception):
    """The bytes cannot be read as an email message; `reason` says why."""

    def __init__(self, reason: Reason):
        super().__init__(str(reason))
        self.reason = reason


@dataclass
class Attachment:
    filename: str
    declared_type: str
    data: bytes


@dataclass
class ParsedMessage:
    message_id: str
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    from_address: str = ""
    from_name: str = ""
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    reply_to: list[str] = field(default_factory=list)
    subject: str = ""
    sent_at: dt.datetime | None = None
    text_body: str = ""
    html_body: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    raw_size: int = 0

    def addresses(self) -> set[str]:
        """Every address the message names (lowercased): whom to match to contacts."""
        return {a.lower() for a in (self.from_address, *self.to, *self.cc, *self.reply_to) if a}

    def thread_ids(self) -> list[str]:
        """The Message-IDs this message refers to, nearest parent last."""
        ids = [*self.references, self.in_reply_to] if self.in_reply_to else self.references
        return list(dict.fromkeys(i for i in ids if i and i != self.message_id))


def clean_text(text: str) -> str:
    """Text safe for any database: no NUL or other control characters (PostgreSQL
    refuses NUL in text), tabs and newlines kept."""
    return _CONTROL.sub("", text)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'").lower()).name
    except (LookupError, ValueError):
        return None


def decode_bytes(data: bytes, declared: str | None, problems: list[str], where: str,
                 hints: list[str] = ()) -> str:
    """`data` as text: by the declared charset when the bytes fit it, else by the hinted
    charsets (those the message's bodies turned out to use), else by a guess."""
    codec = _codec(declared)
    if declared and codec is None:
        problems.append(f"{where}: unknown charset {declared[:40]!r}")
    if codec:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            problems.append(f"{where}: not valid {declared[:40]}")
    elif not declared:
        try:
            return data.decode("ascii")
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8")
        if codec or declared:
            problems.append(f"{where}: read as utf-8")
        return text
    except UnicodeDecodeError:
        pass
    for hint in hints:
        try:
            text = data.decode(hint)
        except UnicodeDecodeError:
            continue
        problems.append(f"{where}: read as {hint}")
        return text
    # Real mail mixes in marks (ZWNJ, tanwin) that the default chaos threshold of 0.2
    # holds against cp1256 Persian; wrong guesses are rarer than no guess at 0.5.
    guess = from_bytes(data, threshold=GUESS_THRESHOLD).best() if len(data) >= 16 else None
    if guess is not None and guess.encoding and _plausible(guess.encoding, data):
        problems.append(f"{where}: read as {guess.encoding}")
        if isinstance(hints, list):
            hints.append(guess.encoding)
        return str(guess)
    problems.append(f"{where}: unreadable characters replaced")
    return data.decode("utf-8", errors="replace")


def _plausible(encoding: str, data: bytes) -> bool:
    # Mail is never UTF-16/32 without saying so; a guess of it means binary noise.
    return not encoding.startswith(("utf_16", "utf_32")) or data[:2] in (
        codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _header_text(raw: str, problems: list[str], name: str, hints: list[str]) -> str:
    """A raw header value decoded: 8-bit bytes by the body's charset or a guess (a short
    header alone is too little to guess from), RFC 2047 words by their charset."""
    if any("\udc80" <= ch <= "\udcff" for ch in raw):  # undeclared 8-bit bytes
        raw = decode_bytes(raw.encode("ascii", "surrogateescape"), None, problems, name,
                           hints=tuple(hints))
    try:
        chunks = decode_header(raw)
    except Exception:
        problems.append(f"{name}: malformed encoded words")
        chunks = [(raw, None)]
    text = "".join(
        c if isinstance(c, str) else decode_bytes(c, charset, problems, name)
        for c, charset in chunks)
    return clean_text(" ".join(text.split()))


def _headers(msg: EmailMessage, problems: list[str], hints: list[str]) -> dict[str, list[str]]:
    headers: dict[str, list[str]] = {}
    for name, raw in msg.raw_items():
        key = name.strip().lower()
        raw = raw if isinstance(raw, str) else str(raw)
        headers.setdefault(key, []).append(_header_text(raw, problems, key, hints))
    return headers


def _addresses(values: list[str]) -> list[tuple[str, str]]:
    try:
        pairs = getaddresses(values)
    except Exception:
        return []
    return [(clean_text(name)[:200], addr.strip()[:254]) for name, addr in pairs
            if addr and "@" in addr]


def _message_ids(value: str) -> list[str]:
    return [f"<{m}>" for m in _ANGLE_ID.findall(value)]


def _own_message_id(headers: dict, raw: bytes, problems: list[str]) -> str:
    ids = _message_ids(" ".join(headers.get("message-id", [])))
    if ids:
        return ids[0]
    bare = " ".join(headers.get("message-id", [])).strip()
    if bare and " " not in bare and len(bare) <= MESSAGE_ID_MAX and bare.isascii():
        problems.append("Message-ID without angle brackets")
        return f"<{bare}>"
    problems.append("no usable Message-ID; one was made from the content")
    return f"<{hashlib.sha256(raw).hexdigest()}@amity.invalid>"


def _sent_at(headers: dict, problems: list[str]) -> dt.datetime | None:
    value = (headers.get("date") or [""])[0]
    if not value:
        problems.append("no Date header")
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError, IndexError):
        problems.append("Date header unreadable")
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _leaves(part: EmailMessage, depth: int, problems: list[str]):
    """The non-multipart parts, depth first; message/rfc822 parts are leaves."""
    if depth > MAX_DEPTH:
        problems.append("MIME nested too deep; inner parts skipped")
        return
    if part.get_content_maintype() == "multipart" and part.is_multipart():
        for sub in part.get_payload():
            yield from _leaves(sub, depth + 1, problems)
    else:
        yield part


def _payload(part: EmailMessage) -> bytes:
    if part.get_content_maintype() == "message" and part.is_multipart():
        inner = part.get_payload(0)
        try:
            return inner.as_bytes(policy=policy.compat32)
        except Exception:
            return str(inner).encode("utf-8", "replace")
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _filename(part: EmailMessage, problems: list[str]) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        problems.append("attachment name unreadable")
        name = ""
    if any("\udc80" <= ch <= "\udcff" for ch in name):
        name = decode_bytes(name.encode("ascii", "surrogateescape"), None, problems, "filename")
    name = clean_text(name).replace("/", "_").replace("\\", "_").strip(" .")
    return name[-255:]


def _is_attachment(part: EmailMessage, filename: str) -> bool:
    disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
    if disposition == "attachment" or filename:
        return True
    return part.get_content_maintype() not in ("text",) or part.get_content_subtype() not in (
        "plain", "html")


def _bodies(msg: EmailMessage, result: ParsedMessage, hints: list[str]) -> None:
    """The text and HTML bodies and the attachments; `hints` gathers the charsets the
    bodies turned out to be in."""
    texts, htmls = [], []
    for count, part in enumerate(_leaves(msg, 0, result.problems)):
        if count >= MAX_PARTS:
            result.problems.append(f"more than {MAX_PARTS} parts; the rest skipped")
            break
        try:
            _read_part(part, result, hints, texts, htmls)
        except Exception as exc:  # one unreadable part; keep the others
            result.problems.append(f"part {count + 1} unreadable: {type(exc).__name__}")
    result.text_body = "\n\n".join(t for t in texts if t.strip())
    result.html_body = "\n".join(h for h in htmls if h.strip())


def _read_part(part: EmailMessage, result: ParsedMessage, hints: list[str],
               texts: list[str], htmls: list[str]) -> None:
    for defect in getattr(part, "defects", []):
        result.problems.append(type(defect).__name__)
    filename = _filename(part, result.problems)
    data = _payload(part)
    if _is_attachment(part, filename):
        result.attachments.append(Attachment(filename, part.get_content_type(), data))
        return
    charset = part.get_param("charset")
    charset = charset if isinstance(charset, str) else None
    codec = _codec(charset)
    if codec and codec not in ("ascii", "utf-8"):
        hints.append(codec)
    text = clean_text(decode_bytes(data, charset, result.problems, part.get_content_type(),
                                   hints))
    (htmls if part.get_content_subtype() == "html" else texts).append(text)


def mail_parse(raw: bytes) -> ParsedMessage:
    """The message in `raw`, read as far as possible; UnreadableMessage when it is not
    an email message at all."""
    if not raw or not raw.strip():
        raise UnreadableMessage(Reason(EMPTY))
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    problems: list[str] = [type(d).__name__ for d in msg.defects]
    if not MAIL_HEADERS & {name.strip().lower() for name in msg}:
        raise UnreadableMessage(Reason(NOT_MAIL))
    result = ParsedMessage(message_id="", problems=problems, raw_size=len(raw))
    hints: list[str] = []
    _bodies(msg, result, hints)
    headers = _headers(msg, problems, hints)
    result.message_id = _own_message_id(headers, raw, problems)
    senders = _addresses(headers.get("from", []))
    if senders:
        result.from_name, result.from_address = senders[0]
    else:
        problems.append("no sender address")
    result.to = [a for _n, a in _addresses(headers.get("to", []))]
    result.cc = [a for _n, a in _addresses(headers.get("cc", []))]
    result.reply_to = [a for _n, a in _addresses(headers.get("reply-to", []))]
    result.subject = (headers.get("subject") or [""])[0][:998]
    result.sent_at = _sent_at(headers, problems)
    parents = _message_ids(" ".join(headers.get("in-reply-to", [])))
    result.in_reply_to = parents[-1] if parents else ""
    result.references = _message_ids(" ".join(headers.get("references", [])))[-MAX_REFERENCES:]
    result.problems = list(dict.fromkeys(problems))[:50]
    return result
