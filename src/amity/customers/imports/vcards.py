"""vCard files (2.1, 3.0 and 4.0): split into cards, each parsed by vobject on its own so
that one malformed card is one row error, and flattened to contact fields."""

import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import vobject
from django.utils.translation import gettext as _

from amity.customers.imports.encodings import MARK, open_text, undecodable
from amity.customers.imports.table import (
    Limits,
    Row,
    RowError,
    Table,
    cell_too_long,
    within_row_limit,
)

# The columns of a vCard file: contact fields, so the mapping suggests themselves.
HEADERS = [
    "external_id", "salutation", "given_name", "middle_name", "family_name", "full_name",
    "email", "email_2", "email_3", "phone", "phone_2", "phone_3", "mobile",
    "account", "department", "job_title", "birth_date", "gender", "language", "website",
    "street", "city", "region", "postcode", "country", "description", "tags",
]
# Binary payloads, often megabytes of base64, that the importer does not keep.
_SKIPPED = {"PHOTO", "LOGO", "SOUND", "KEY"}
LINE_CHARS = 1024 * 1024
CARD_CHARS = 1024 * 1024  # after the skipped properties: a card is a few hundred bytes


def read_vcards(file: BinaryIO, *, encoding: str, limits: Limits) -> Table:
    """A vCard file as a Table of one row per card, numbered from 1."""
    return Table(format="vcard", encoding=encoding, headers=list(HEADERS),
                 reader=lambda: within_row_limit(_rows(file, encoding, limits), limits))


def _rows(file: BinaryIO, encoding: str, limits: Limits) -> Iterator[Row]:
    text = open_text(file, encoding)
    try:
        lines = iter(lambda: text.readline(LINE_CHARS), "")
        for number, (card, problem) in enumerate(_cards(lines), start=1):
            yield _row(number, card, problem, encoding, limits)
    finally:
        text.detach()  # leave the caller's file open


def _row(number: int, card: str, problem: str | None, encoding: str,
         limits: Limits) -> Row:
    values = dict.fromkeys(HEADERS, "")
    if problem is None:
        try:
            values.update(flatten(vobject.readOne(card, allowQP=True)))
        except Exception as error:  # vobject raises many kinds on malformed input
            problem = str(error)
    if problem is not None:
        return Row(number, values, (RowError(number, None, _(
            "Card %(row)s cannot be read: %(problem)s") % {"row": number, "problem": problem}),))
    errors = []
    for column, value in values.items():
        if len(value) > limits.max_cell_chars:
            errors.append(cell_too_long(number, column, limits.max_cell_chars))
            values[column] = ""
        elif MARK in value:
            errors.append(undecodable(number, column, encoding))
            values[column] = value.replace(MARK, "\ufffd")
    return Row(number, values, tuple(errors))


def _cards(lines: Iterable[str]) -> Iterator[tuple[str, str | None]]:
    """Each card's text and None, or what text there is and why it cannot be read."""
    card: list[str] | None = None
    size, skipping, continued, problem = 0, False, False, None
    for line in lines:
        upper = line.strip().upper()
        if not continued and upper == "BEGIN:VCARD":
            if card is not None:
                yield "".join(card), _("it has no END:VCARD line")
            card, size, skipping, problem = [line], len(line), False, None
        elif card is not None:
            # A folded line continues with a space or tab; a capped one just continues.
            if not continued and line[:1] not in (" ", "\t"):
                skipping = _property(line) in _SKIPPED
            size += 0 if skipping else len(line)
            if size > CARD_CHARS:
                problem = _("it is longer than %(limit)s characters") % {"limit": CARD_CHARS}
            elif not skipping:
                card.append(line)
            if not continued and upper == "END:VCARD":
                yield "".join(card), problem
                card = None
        continued = not line.endswith(("\n", "\r"))
    if card is not None:
        yield "".join(card), _("it has no END:VCARD line")


def _property(line: str) -> str:
    # "item1.PHOTO;ENCODING=b:…" names PHOTO: drop the group, parameters and value.
    name = re.split(r"[;:]", line, maxsplit=1)[0]
    return name.rsplit(".", 1)[-1].strip().upper()


def flatten(card: vobject.base.Component) -> dict[str, str]:
    """The fields of a parsed vCard under the names of HEADERS (first address only)."""
    values: dict[str, str] = {}
    emails: list[str] = []
    phones: list[str] = []
    for prop in card.getChildren():
        name, value = prop.name.upper(), prop.value
        if name == "N":
            values.update(_name(value))
        elif name == "EMAIL":
            emails.append(_text(value))
        elif name == "TEL":
            number = _text(value).removeprefix("tel:")
            if "cell" in _types(prop) and "mobile" not in values:
                values["mobile"] = number
            else:
                phones.append(number)
        elif name == "ORG":
            parts = value if isinstance(value, list) else str(value).split(";")
            values.setdefault("account", _text(parts[0]))
            values.setdefault("department", _text(parts[1:]))
        elif name == "ADR" and "street" not in values:
            values.update(_address(value))
        elif name in _SINGLE:
            values.setdefault(_SINGLE[name], _single(name, value))
        elif name in ("NOTE", "CATEGORIES", "URL"):  # several: all kept
            key, joiner = {"NOTE": ("description", "\n"), "CATEGORIES": ("tags", ", "),
                           "URL": ("website", " ::: ")}[name]
            text = joiner.join(value) if isinstance(value, list) else _text(value)
            values[key] = joiner.join(filter(None, [values.get(key, ""), text]))
    # More than three emails or phones: the rest is not kept (Amity's contact has three).
    values.update(zip(("email", "email_2", "email_3"), filter(None, emails), strict=False))
    values.update(zip(("phone", "phone_2", "phone_3"), filter(None, phones), strict=False))
    return values


_SINGLE = {"UID": "external_id", "FN": "full_name", "TITLE": "job_title", "BDAY": "birth_date",
           "GENDER": "gender", "LANG": "language"}


def _single(name: str, value: object) -> str:
    text = _text(value)
    if name == "GENDER":
        return text.split(";")[0]  # vCard 4: "M;his identity" keeps the sex
    if name == "BDAY":
        if match := re.fullmatch(r"(\d{4})(\d{2})(\d{2})(T.*)?", text):
            return "-".join(match.groups()[:3])
        return text.split("T")[0] if re.match(r"\d{4}-\d{2}-\d{2}T", text) else text
    return text


def _name(value: object) -> dict[str, str]:
    if isinstance(value, vobject.vcard.Name):
        parts = [value.family, value.given, value.additional, value.prefix]
    else:
        parts = [*str(value).split(";"), "", "", "", ""][:4]
    keys = ("family_name", "given_name", "middle_name", "salutation")
    return {key: _text(part) for key, part in zip(keys, parts, strict=True)}


def _address(value: object) -> dict[str, str]:
    if isinstance(value, vobject.vcard.Address):
        parts = [value.box, value.extended, value.street, value.city, value.region,
                 value.code, value.country]
    else:
        parts = [*str(value).split(";"), *[""] * 7][:7]
    box, extended, street, city, region, code, country = (_text(part) for part in parts)
    return {"street": ", ".join(filter(None, [street, extended, box])), "city": city,
            "region": region, "postcode": code, "country": country}


def _types(prop: vobject.base.ContentLine) -> set[str]:
    # TYPE=CELL,VOICE (3.0), TYPE="cell,voice" (4.0), TYPE=CELL;TYPE=VOICE or CELL (2.1).
    params = [*prop.params.get("TYPE", []), *prop.singletonparams]
    return {kind.strip().lower() for param in params for kind in param.split(",")}


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        return " ".join(filter(None, (_text(part) for part in value)))
    return str(value or "").strip()
