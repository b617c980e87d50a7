"""Search of leads and opportunities folds the letters Arabic and Persian keyboards write
differently to their Persian forms (see customers' 0017): their GIN trigram indexes of
0009 are remade on the text with the letters translated, identical to
customers.search.kinds.SearchKind.pg_indexed. SQLite's FTS5 rows follow after migrate."""

import importlib

from django.db import migrations

from amity.core.migration_ops import RunSQLOnPostgres

TEXT_BEFORE = importlib.import_module("amity.sales.migrations.0009_search").TEXT
TEXT = {table: f"translate(({text}), 'يىك', 'ییک')" for table, text in TEXT_BEFORE.items()}


def _indexes(texts: dict[str, str]) -> list[str]:
    return [sql for table, text in texts.items() for sql in (
        f"DROP INDEX IF EXISTS {table}_search",
        f"CREATE INDEX {table}_search ON {table} USING gin (({text}) gin_trgm_ops)",
    )]


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0017_search_letter_forms"),
        ("sales", "0010_forecast_snapshots"),
    ]

    operations = [
        RunSQLOnPostgres(_indexes(TEXT), _indexes(TEXT_BEFORE)),
    ]
