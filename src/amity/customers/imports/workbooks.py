"""Excel workbooks (xlsx): the zip checked for bombs first, then the first sheet read
row by row through openpyxl's read-only mode."""

import datetime as dt
import zipfile
from collections.abc import Iterator
from typing import BinaryIO

import openpyxl
from django.utils.translation import gettext as _

from amity.customers.imports.table import (
    MB,
    ImportFileError,
    Limits,
    Row,
    RowError,
    Table,
    cell_too_long,
    make_headers,
    size_text,
    within_row_limit,
)

WORKBOOK_PART = "xl/workbook.xml"
# Small members may compress very well (a sheet of empty rows); only big ones are judged.
_RATIO_FROM_BYTES = 10 * MB


def check_archive(file: BinaryIO, limits: Limits) -> None:
    """Refuse a zip that would unpack too big, or that holds no workbook, before any
    XML in it is parsed."""
    # zipfile never inflates a member past the size its directory entry declares (a lying
    # entry fails its CRC check instead), so checking the directory bounds the work.
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise _not_a_workbook() from error
    if len(members) > limits.max_zip_members:
        raise ImportFileError(_("The workbook holds %(count)s parts; at most %(limit)s are "
                                "allowed.") % {"count": len(members),
                                               "limit": limits.max_zip_members})
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unzipped_bytes:
        raise ImportFileError(_("The workbook would unpack to %(size)s; at most %(limit)s is "
                                "allowed.") % {"size": size_text(unpacked),
                                               "limit": size_text(limits.max_unzipped_bytes)})
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FROM_BYTES and ratio > limits.max_compression_ratio:
            raise ImportFileError(_("The workbook is compressed %(ratio)s to 1, which no "
                                    "real spreadsheet is; it was not opened.")
                                  % {"ratio": int(ratio)})
    names = {member.filename for member in members}
    if "mimetype" in names and WORKBOOK_PART not in names:
        raise ImportFileError(_("OpenDocument spreadsheets cannot be imported; save the "
                                "file as xlsx or CSV and import that."))
    if WORKBOOK_PART not in names:
        raise _not_a_workbook()


def _not_a_workbook() -> ImportFileError:
    return ImportFileError(_("The file is not an Excel workbook (xlsx); save it as xlsx or "
                             "CSV and import that."))


def read_xlsx(file: BinaryIO, *, limits: Limits) -> Table:
    """The first sheet of an xlsx workbook as a Table; its first non-empty row names the
    columns."""
    check_archive(file, limits)
    rows = _sheet_rows(file)
    try:
        headers = next((cells for _number, cells in rows if any(cells)), None)
    finally:
        rows.close()  # closes the workbook
    if headers is None:
        raise ImportFileError(_("The first sheet of the workbook is empty."))
    names = make_headers(headers, limits, trim=True)
    return Table(format="xlsx", encoding="utf-8", headers=names,
                 reader=lambda: within_row_limit(_rows(file, names, limits), limits))


def _sheet_rows(file: BinaryIO) -> Iterator[tuple[int, list[str]]]:
    file.seek(0)
    try:
        # data_only: a formula cell gives the value Excel last calculated, never the formula.
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise ImportFileError(_("The workbook cannot be opened: %(problem)s")
                              % {"problem": error}) from error
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong used range; read every row
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(value) for value in values]
    finally:
        workbook.close()


def _rows(file: BinaryIO, headers: list[str], limits: Limits) -> Iterator[Row]:
    rows = _sheet_rows(file)
    for _number, cells in rows:
        if any(cells):
            break  # the header row
    width = len(headers)
    for number, cells in rows:
        if not any(cells):
            continue
        errors = []
        if any(cells[width:]):
            errors.append(RowError(number, None, _(
                "Row %(row)s has values to the right of the last named column.")
                % {"row": number}))
        cells = cells[:width] + [""] * (width - len(cells))
        for index, cell in enumerate(cells):
            if len(cell) > limits.max_cell_chars:
                errors.append(cell_too_long(number, headers[index], limits.max_cell_chars))
                cells[index] = ""
        yield Row(number, dict(zip(headers, cells, strict=True)), tuple(errors))


def cell_text(value: object) -> str:
    """A cell value as the text the importer stores: dates in ISO 8601, whole numbers
    without a decimal point."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        # Excel has no date type: a date is a datetime at midnight.
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
