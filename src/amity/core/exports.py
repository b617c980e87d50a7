"""Exports of record lists: CSV streamed row by row, xlsx written through a temporary
file, both in constant memory, with spreadsheet formulas neutralised."""

import codecs
import csv
import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.db.models import Model, QuerySet
from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from amity.core.chunking import chunks
from amity.core.custom_fields import CustomField, active_fields, display_custom
from amity.core.linked import link_hider

# A cell starting with one of these is run as a formula by Excel, LibreOffice and
# Google Sheets (CSV injection); a leading apostrophe makes it plain text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


def neutralise(text: str) -> str:
    """`text` made safe to open in a spreadsheet."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def cell(record: Model, name: str) -> str:
    """One field of a record as export text: choices by label, dates in ISO 8601."""
    field = record._meta.get_field(name)
    if field.choices:
        return str(getattr(record, f"get_{name}_display")())
    value = getattr(record, name)
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal | int | float | bool):
        return str(value)
    return neutralise(str(value))


def headers(model: type[Model], fields: Iterable[str]) -> list[str]:
    return [str(model._meta.get_field(name).verbose_name).capitalize() for name in fields]


def custom_columns(model: type[Model]) -> list[CustomField]:
    """The active custom fields of a kind of record, one export column each."""
    if not any(f.name == "custom" for f in model._meta.concrete_fields):
        return []
    return active_fields(model._meta.label_lower)


def custom_cell(record: Model, field: CustomField) -> str:
    return neutralise(display_custom(field, (record.custom or {}).get(field.key)) or "")


@dataclass(frozen=True)
class ExportColumns:
    """Columns a model exports beyond its fields (tags, related rows joined in one cell),
    and the prefetches that let each chunk of records read them in a few queries."""

    prefetch: tuple = ()
    columns: tuple[tuple[str, Callable[[Model], str]], ...] = ()


def rows(queryset: QuerySet, fields: list[str], reader) -> Iterator[list[str]]:
    """The header row, then one row per record, read from the database in chunks: the
    record's fields, the columns of its model's `export_columns()` (if it has one), then one
    column per active custom field (headed by its label). A linked record `reader` may not
    see (a contact's account of another team) is left blank."""
    model = queryset.model
    extra = model.export_columns() if hasattr(model, "export_columns") else ExportColumns()
    custom = custom_columns(model)
    yield (headers(model, fields) + [str(header) for header, _value in extra.columns]
           + [neutralise(f.label) for f in custom])
    related = [name for name in fields if model._meta.get_field(name).is_relation]
    records = queryset.select_related(*related).prefetch_related(*extra.prefetch)
    for chunk in chunks(records.iterator(chunk_size=CHUNK), CHUNK):
        hidden = link_hider(model, chunk, related, reader)
        for record in chunk:
            yield ([cell(record, name) if not hidden(record, name) else "" for name in fields]
                   + [neutralise(value(record)) for _header, value in extra.columns]
                   + [custom_cell(record, f) for f in custom])


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(table: Iterable[list[str]]) -> Iterator[bytes]:
    """UTF-8 CSV with a byte-order mark, so Excel reads Thai, Persian and Chinese."""
    writer = csv.writer(_Echo())
    yield codecs.BOM_UTF8
    for row in table:
        yield writer.writerow(row).encode()


def xlsx_file(table: Iterable[list[str]], *, title: str) -> IO[bytes]:
    """An xlsx workbook in a temporary file (deleted when closed), rewound to the start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in table:  # a control character would fail the whole workbook: left out
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell
                      for cell in row])
    file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes (deletes) it when sent
    workbook.save(file)
    file.seek(0)
    return file


FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "vcf": "text/vcard; charset=utf-8",
}


def export_formats(model: type[Model]) -> tuple[str, ...]:
    """The formats a kind of record exports to: every list to CSV and xlsx, people to vCard."""
    return ("csv", "xlsx", "vcf") if hasattr(model, "vcards") else ("csv", "xlsx")


def export_response(queryset: QuerySet, fmt: str, reader) -> HttpResponseBase:
    """The records of `queryset` (already gated and filtered) as `reader`'s download."""
    model = queryset.model
    if fmt not in export_formats(model):
        raise ValueError(fmt)
    name = f"{model._meta.verbose_name_plural}-{timezone.now():%Y%m%d-%H%M}.{fmt}"
    if fmt == "xlsx":
        table = rows(queryset, list(model.export_fields), reader)
        file = xlsx_file(table, title=str(model._meta.verbose_name_plural))
        return FileResponse(file, as_attachment=True, filename=name, content_type=FORMATS[fmt])
    body = model.vcards(queryset, reader) if fmt == "vcf" else csv_lines(
        rows(queryset, list(model.export_fields), reader))
    response = StreamingHttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
