"""Search folds the letters Arabic and Persian keyboards write differently (yeh ي ى / ی,
kaf ك / ک) to their Persian forms, so a name typed on one is found from the other.

PostgreSQL: the GIN trigram indexes of 0010 are remade on their text with the letters
translated; the expressions must stay identical to amity.customers.search.kinds'
(SearchKind.pg_indexed). Remaking them reads every account and contact (about a minute
at a million contacts). SQLite: the FTS5 triggers and rows are remade from
amity.customers.search.sqlite_index (as after every migrate)."""

import importlib

from django.db import migrations

from amity.core.migration_ops import RunSQLOnPostgres
from amity.customers.search import sqlite_index

PG_TEXT_BEFORE = importlib.import_module(
    "amity.customers.migrations.0010_search_custom_values").PG_TEXT
PG_TEXT = {kind: f"translate(({text}), 'يىك', 'ییک')" for kind, text in PG_TEXT_BEFORE.items()}


def _indexes(texts: dict[str, str]) -> list[str]:
    return [sql for kind, text in texts.items() for sql in (
        f"DROP INDEX IF EXISTS customers_{kind}_search",
        f"CREATE INDEX customers_{kind}_search ON customers_{kind} "
        f"USING gin (({text}) gin_trgm_ops)",
    )]


def repair_sqlite_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        sqlite_index.repair(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0016_account_language"),
    ]

    operations = [
        RunSQLOnPostgres(_indexes(PG_TEXT), _indexes(PG_TEXT_BEFORE)),
        migrations.RunPython(repair_sqlite_index, migrations.RunPython.noop),
    ]
