"""Reading contact files for import: CSV, Excel (xlsx) and vCard, with no database work.

    table = read_table(upload, filename=upload.name)    # ImportFileError: refuse the file
    suggest_mapping(table.headers)                       # {"E-mail Address": "email", …}
    for row in table.rows():                             # streams; may raise ImportFileError
        if row.errors: ...                               # RowError(row_number, column, message)
        else: ... row.values["E-mail Address"] ...

Every row's `values` holds every header (missing cells are ""). Row numbers are those the
user sees: CSV and xlsx count the header row as row 1; vCard cards count from 1. A row
with errors is still yielded, with what could be read, and the rows after it follow.
Messages are translated with the active language when they are made."""

from amity.customers.imports.encodings import ENCODINGS
from amity.customers.imports.encodings import label as encoding_label
from amity.customers.imports.mapping import TARGET_FIELDS, detect_source, suggest_mapping
from amity.customers.imports.readers import read_table
from amity.customers.imports.table import (
    DEFAULT_LIMITS,
    Format,
    ImportFileError,
    Limits,
    Row,
    RowError,
    Table,
)

__all__ = [
    "DEFAULT_LIMITS",
    "ENCODINGS",
    "TARGET_FIELDS",
    "Format",
    "ImportFileError",
    "Limits",
    "Row",
    "RowError",
    "Table",
    "detect_source",
    "encoding_label",
    "read_table",
    "suggest_mapping",
]
