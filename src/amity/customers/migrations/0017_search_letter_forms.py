"""Search folds the letters Arabic and Persian keyboards write differently (yeh ي ى / ی,
kaf ك / ک) to their Persian forms, so a name typed on one is found from the other.

PostgreSQL: the GIN trigram indexes of 0010 are remade on their text with the letters
translated; the expressions must stay identical to amity.customers.search.kinds'
(SearchKind.pg_indexed). Remaking them reads every account and contact (about half a
minute at a million contacts). SQLite: the FTS5 triggers and rows are remade from
amity.customers.search.sqlite_index (as after every migrate)."""

import importlib

from django.db import migrations

from amity.core.migration_ops import RunSQLOnPostgres

before = importlib.import_module("amity.customers.migrations.0010_search_custom_values")
PG_TEXT = {kind: f"translate(({text}), 'يىك', 'ییک')" for kind, text in before.PG_TEXT.items()}


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0016_account_language"),
    ]

    operations = [
        RunSQLOnPostgres(before._indexes(PG_TEXT), before._indexes(before.PG_TEXT)),
        migrations.RunPython(before.repair_sqlite_index, migrations.RunPython.noop),
    ]
