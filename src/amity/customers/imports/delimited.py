"""CSV and other delimited text, read as a stream of records in bounded memory."""

import csv
import io
import re
from collections.abc import Iterator
from contextlib import suppress
from itertools import count, islice
from typing import BinaryIO

from django.utils.translation import gettext as _

from amity.customers.imports.encodings import MARK, open_text, undecodable
from amity.customers.imports.table import (
    ImportFileError,
    Limits,
    Row,
    RowError,
    Table,
    cell_too_long,
    extra_cells,
    make_headers,
    within_row_limit,
)

DELIMITERS = (",", ";", "\t")
QUOTE = '"'
# A physical line is read at most this many characters at a time, so a file that is one
# enormous line never sits in memory whole; the rest of such a line is skipped.
LINE_CHARS = 4 * 1024 * 1024
_SNIFF_RECORDS = 50

Record = tuple[int, list[str], tuple[RowError, ...]]


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the sample's records into the most consistent columns."""
    best, best_score = ",", (False, 0.0, 0)
    for delimiter in DELIMITERS:
        records = [r for r in _sample_records(text, delimiter) if r]
        if not records:
            continue
        width = len(records[0])
        same = sum(1 for record in records if len(record) == width) / len(records)
        score = (width > 1, same, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _sample_records(text: str, delimiter: str) -> list[list[str]]:
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar=QUOTE)
    with suppress(csv.Error):  # a cell too long to sniff: judge on the records before it
        records.extend(islice(reader, _SNIFF_RECORDS))
    # The sample may end inside a record; its last one is then incomplete.
    return records[:-1] if len(records) > 1 else records


def read_csv(file: BinaryIO, *, encoding: str, sample: str, limits: Limits) -> Table:
    """A delimited text file as a Table, its delimiter sniffed from `sample`."""
    reader = _Reader(file, encoding, sniff_delimiter(sample), limits)
    return Table(format="csv", encoding=encoding, headers=reader.read_headers(),
                 reader=lambda: within_row_limit(reader.rows(), limits))


class _Lines:
    """Physical lines of the text, capped in length, remembering those of the record
    being parsed so that a failed record can be diagnosed and skipped."""

    def __init__(self, text: io.TextIOWrapper, cell_chars: int) -> None:
        self.text, self.cell_chars = text, cell_chars
        self.record: list[str] = []
        self.overlong = False
        self.size = 0
        self.suspect = False  # may hold an undecodable or oversized cell: check each cell

    def __iter__(self) -> Iterator[str]:
        while line := self.text.readline(LINE_CHARS):
            if len(line) == LINE_CHARS and not line.endswith(("\n", "\r")):
                self.overlong = True
                while (rest := self.text.readline(LINE_CHARS)) and not rest.endswith(
                        ("\n", "\r")):
                    pass
                line += "\n"
            self.size += len(line)
            if self.size > self.cell_chars or MARK in line:
                self.suspect = True
            self.record.append(line)
            yield line

    def start_record(self) -> None:
        self.record.clear()
        self.overlong = self.suspect = False
        self.size = 0

    def skip_rest_of_record(self) -> None:
        """After a failed record: skip lines until its quotes balance, at its real end."""
        quotes = sum(line.count(QUOTE) for line in self.record)
        lines = iter(self)
        while quotes % 2 and (line := next(lines, None)) is not None:
            quotes += line.count(QUOTE)


class _Reader:
    def __init__(self, file: BinaryIO, encoding: str, delimiter: str, limits: Limits) -> None:
        self.file, self.encoding, self.delimiter = file, encoding, delimiter
        self.limits = limits
        self.cell_chars = min(limits.max_cell_chars, csv.field_size_limit())
        self.headers: list[str] = []

    def read_headers(self) -> list[str]:
        for _number, cells, errors in self._records():
            if errors:
                raise ImportFileError(_("The first row, with the column names, cannot be "
                                        "read: %(problem)s") % {"problem": errors[0].message})
            if any(cells):
                self.headers = make_headers(cells, self.limits)
                return self.headers
        raise ImportFileError(_("The file holds no rows."))

    def rows(self) -> Iterator[Row]:
        records = self._records()
        for _number, cells, _errors in records:
            if any(cells):
                break  # the header row
        headers, width = self.headers, len(self.headers)
        for number, cells, errors in records:
            if not errors and not any(cells):
                continue  # a blank line
            if len(cells) != width:
                # Trailing empty cells are harmless (some programs pad rows); others are
                # not. A record the csv module gave up on has no cells; its error says why.
                if cells and (len(cells) < width or any(cells[width:])):
                    errors = (*errors, extra_cells(number, len(cells), width))
                cells = cells[:width] + [""] * (width - len(cells))
            yield Row(number, dict(zip(headers, cells, strict=True)), errors)

    def _records(self) -> Iterator[Record]:
        """Each record, numbered from 1 as a spreadsheet shows it, with its cell problems."""
        text = open_text(self.file, self.encoding)
        try:
            lines = _Lines(text, self.cell_chars)
            reader = csv.reader(lines, delimiter=self.delimiter, quotechar=QUOTE)
            for number in count(1):
                lines.start_record()
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    yield number, [], (self._failed(number, lines, error),)
                    lines.skip_rest_of_record()
                    continue
                yield self._checked(number, cells, lines) if lines.suspect else (
                    number, cells, ())
        finally:
            text.detach()  # leave the caller's file open

    def _column(self, index: int) -> str:
        if index < len(self.headers):
            return self.headers[index]
        return _("Column %(position)s") % {"position": index + 1}

    def _checked(self, number: int, cells: list[str], lines: _Lines) -> Record:
        errors = []
        for index, cell in enumerate(cells):
            if len(cell) > self.cell_chars:
                errors.append(cell_too_long(number, self._column(index), self.cell_chars))
                cells[index] = ""
            elif MARK in cell:
                errors.append(undecodable(number, self._column(index), self.encoding))
                cells[index] = cell.replace(MARK, "\ufffd")
        if lines.overlong:
            errors.append(RowError(number, None, _(
                "Row %(row)s is longer than %(limit)s characters; the rest of it was skipped.")
                % {"row": number, "limit": LINE_CHARS}))
        return number, cells, tuple(errors)

    def _failed(self, number: int, lines: _Lines, error: csv.Error) -> RowError:
        if "field larger than field limit" not in str(error):
            return RowError(number, None, _("Row %(row)s cannot be read: %(problem)s")
                            % {"row": number, "problem": error})
        # The csv module stopped inside the cell; find which one from the raw text.
        index = _long_cell("".join(lines.record), self.delimiter, self.cell_chars)
        if index is None:
            return RowError(number, None, _(
                "Row %(row)s holds a cell longer than %(limit)s characters.")
                % {"row": number, "limit": self.cell_chars})
        return cell_too_long(number, self._column(index), self.cell_chars)


def _long_cell(record: str, delimiter: str, limit: int) -> int | None:
    """The position of the first cell of a raw record longer than `limit`."""
    q, d = re.escape(QUOTE), re.escape(delimiter)
    cell = re.compile(f"{q}[^{q}]*(?:{q}{q}[^{q}]*)*{q}?|[^{d}\\r\\n]*")
    position, index = 0, 0
    while match := cell.match(record, position):
        if match.end() - match.start() > limit + 2:
            return index
        position = match.end()
        if record[position:position + 1] != delimiter:
            return None
        position, index = position + 1, index + 1
    return None
