"""The shapes every reader returns: limits, the two kinds of error, rows and tables."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MB = 1024 * 1024
MAX_HEADER_CHARS = 1000  # a longer "header" means the first row is data, not names

Format = Literal["csv", "xlsx", "vcard"]


@dataclass(frozen=True)
class Limits:
    """What a file may hold before it is refused (file level) or a row is (row level)."""

    max_file_bytes: int = 100 * MB
    max_cell_chars: int = 100_000
    max_columns: int = 500
    max_rows: int | None = None
    # xlsx only: checked on the zip directory before openpyxl reads anything.
    max_unzipped_bytes: int = 200 * MB
    max_compression_ratio: int = 100
    max_zip_members: int = 1000


DEFAULT_LIMITS = Limits()


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in one row (or card); `column` is the header, or None for the whole row."""

    row_number: int
    column: str | None
    message: str


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its number as the user sees it, a value for every header, its errors.

    A row with errors carries whatever could be read (an unreadable or oversized cell is
    empty), so it can be shown to the user; it should not be imported as it stands."""

    number: int
    values: dict[str, str]
    errors: tuple[RowError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Table:
    """A file opened for import. Each `rows()` call reads the file again from its start;
    iterate one at a time, since they share the file's position."""

    format: Format
    encoding: str
    headers: list[str]
    reader: Callable[[], Iterator[Row]] = field(repr=False, compare=False)

    def rows(self) -> Iterator[Row]:
        """Data rows in file order; may raise ImportFileError for problems found mid-file."""
        return self.reader()


def size_text(size: int) -> str:
    return str(filesizeformat(size))


def make_headers(cells: list[str], limits: Limits, *, trim: bool = False) -> list[str]:
    """Header names from the first row: stripped, empty ones named, duplicates numbered."""
    names = [cell.strip().lstrip("\ufeff").strip() for cell in cells]
    if trim:
        while names and not names[-1]:
            names.pop()
    if not any(names):
        raise ImportFileError(_("The first row is empty; it should hold the column names."))
    if len(names) > limits.max_columns:
        raise ImportFileError(
            _("The file has %(count)s columns; at most %(limit)s can be imported.")
            % {"count": len(names), "limit": limits.max_columns})
    headers: list[str] = []
    seen: set[str] = set()
    for position, name in enumerate(names, start=1):
        if len(name) > MAX_HEADER_CHARS:
            raise ImportFileError(
                _("The name of column %(position)s is longer than %(limit)s characters; "
                  "the first row should hold the column names.")
                % {"position": position, "limit": MAX_HEADER_CHARS})
        base = name or _("Column %(position)s") % {"position": position}
        unique, copy = base, 2
        while unique.casefold() in seen:
            unique, copy = f"{base} ({copy})", copy + 1
        seen.add(unique.casefold())
        headers.append(unique)
    return headers


def cell_too_long(number: int, column: str, limit: int) -> RowError:
    return RowError(number, column, _(
        "Row %(row)s, column “%(column)s”: the cell is longer than %(limit)s characters.")
        % {"row": number, "column": column, "limit": limit})


def extra_cells(number: int, found: int, expected: int) -> RowError:
    return RowError(number, None, _(
        "Row %(row)s has %(found)s cells but there are %(expected)s columns; "
        "a separator or quote may be missing or extra.")
        % {"row": number, "found": found, "expected": expected})


def within_row_limit(rows: Iterator[Row], limits: Limits) -> Iterator[Row]:
    """`rows`, refusing the file once it has more data rows than the limit allows."""
    if limits.max_rows is None:
        yield from rows
        return
    for count, row in enumerate(rows, start=1):
        if count > limits.max_rows:
            raise ImportFileError(
                _("The file has more than %(limit)s rows; split it into smaller files.")
                % {"limit": limits.max_rows})
        yield row
