"""Opening an uploaded file for import: its size checked, its format sniffed from the
content (the name only sharpens the error message), then the reader for that format."""

import shutil
import tempfile
from pathlib import PurePath
from typing import BinaryIO

from django.utils.translation import gettext as _

from amity.customers.imports import encodings
from amity.customers.imports.delimited import read_csv
from amity.customers.imports.table import (
    DEFAULT_LIMITS,
    MB,
    ImportFileError,
    Limits,
    Table,
    size_text,
)
from amity.customers.imports.vcards import read_vcards
from amity.customers.imports.workbooks import read_xlsx

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls) and other Office files
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def read_table(file: BinaryIO, *, filename: str, encoding: str | None = None,
               limits: Limits = DEFAULT_LIMITS) -> Table:
    """The uploaded `file` opened as a Table (CSV, xlsx or vCard, judged by content).

    `encoding` overrides detection for text files. Raises ImportFileError when the file
    as a whole cannot be read. The file must stay open while the table's rows are read."""
    file = _measured(file, limits)
    head = file.read(encodings.SAMPLE_BYTES)
    file.seek(0)
    name = PurePath(filename).name
    if not head:
        raise ImportFileError(_("“%(name)s” is empty.") % {"name": name})
    if head.startswith(ZIP_MAGIC):
        return read_xlsx(file, limits=limits)
    if head.startswith(OLE_MAGIC):
        raise ImportFileError(_("“%(name)s” is in the old Excel format (xls); save it as xlsx "
                                "or CSV and import that.") % {"name": name})
    if name.lower().endswith(SPREADSHEET_SUFFIXES):
        raise ImportFileError(_("“%(name)s” is named as a spreadsheet but is not an Excel "
                                "workbook (xlsx).") % {"name": name})
    encoding = _encoding(file, head, encoding, name)
    text = encodings.decode_sample(head, encoding)
    if encodings.looks_binary(text):
        raise _not_importable(name)
    if text.lstrip("\ufeff \t\r\n").upper().startswith("BEGIN:VCARD"):
        return read_vcards(file, encoding=encoding, limits=limits)
    return read_csv(file, encoding=encoding, sample=text, limits=limits)


def _measured(file: BinaryIO, limits: Limits) -> BinaryIO:
    """The file, rewound, if it is seekable and not too big; else a seekable copy."""
    if _seekable(file):
        size = file.seek(0, 2)
        file.seek(0)
        _check_size(size, limits)
        return file
    # A stream (a pipe, a socket): copy it to a temporary file, stopping past the limit.
    copy = tempfile.SpooledTemporaryFile(max_size=8 * MB)  # noqa: SIM115 - lives with the Table
    shutil.copyfileobj(_Capped(file, limits.max_file_bytes + 1), copy)
    _check_size(copy.tell(), limits)
    copy.seek(0)
    return copy


def _seekable(file: BinaryIO) -> bool:
    try:
        return file.seekable()
    except (AttributeError, ValueError):
        return False


def _check_size(size: int, limits: Limits) -> None:
    if size > limits.max_file_bytes:
        raise ImportFileError(_("The file is %(size)s; the largest file that can be imported "
                                "is %(limit)s.") % {"size": size_text(size),
                                                     "limit": size_text(limits.max_file_bytes)})


class _Capped:
    def __init__(self, file: BinaryIO, limit: int) -> None:
        self.file, self.left = file, limit

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(min(size, self.left) if size >= 0 else self.left)
        self.left -= len(data)
        return data


def _encoding(file: BinaryIO, head: bytes, chosen: str | None, name: str) -> str:
    if chosen:
        encoding = encodings.canonical(chosen)
        if encoding is None:
            raise ImportFileError(_("“%(encoding)s” is not a character set this server knows.")
                                  % {"encoding": chosen})
        # A UTF-8 file with a byte-order mark would otherwise start with a stray character.
        if encoding == "utf-8" and head.startswith(b"\xef\xbb\xbf"):
            return "utf-8-sig"
        return encoding
    size = file.seek(0, 2)
    detected = encodings.detect(encodings.sample(file, size))
    if detected is None:
        if encodings.looks_binary(head.decode("latin-1")):
            raise _not_importable(name)
        raise ImportFileError(_("The character set of “%(name)s” could not be recognised; "
                                "choose it and import the file again.") % {"name": name})
    return detected


def _not_importable(name: str) -> ImportFileError:
    return ImportFileError(_("“%(name)s” is not a CSV, Excel (xlsx) or vCard file, so it "
                             "cannot be imported.") % {"name": name})
