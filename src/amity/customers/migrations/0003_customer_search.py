"""Search indexes for accounts and contacts (see amity.customers.search).

PostgreSQL: the pg_trgm extension and one GIN trigram index per table on the searchable
text, so ILIKE '%…%' and the word-similarity operator %> use an index. Not a partial
index (WHERE deleted IS NULL): the planner ignores a partial index's statistics, and
without them takes a LIMITed search for a cheap sequential scan (seconds at 1M rows).
The expressions must stay identical to those in amity.customers.search.postgres
(tests/customers/test_search.py checks that the planner uses these indexes).

SQLite: an FTS5 table with the trigram tokenizer kept in step by triggers, made by
amity.customers.search.sqlite_index, which also repairs the triggers after every
migrate (SQLite drops them when Django remakes a table).

Each part is a no-op on the other database."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from amity.core.migration_ops import RunSQLOnPostgres
from amity.customers.search import sqlite_index

PG_DIGITS = "translate(phone, ' -().+/', '')"
PG_TEXT = {
    "account": "name || ' ' || website || ' ' || phone || ' ' || " + PG_DIGITS,
    "contact": "given_name || ' ' || family_name || ' ' || family_name || given_name"
               " || ' ' || email || ' ' || phone || ' ' || " + PG_DIGITS,
}


class TrigramExtensionOnPostgres(TrigramExtension):
    """TrigramExtension whose reverse, too, is a no-op off PostgreSQL."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def create_sqlite_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        sqlite_index.create(schema_editor.connection)


def drop_sqlite_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        sqlite_index.drop(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0002_initial'),
    ]

    operations = [
        TrigramExtensionOnPostgres(),
        RunSQLOnPostgres(
            [f"CREATE INDEX customers_{kind}_search ON customers_{kind} "
             f"USING gin (({text}) gin_trgm_ops)" for kind, text in PG_TEXT.items()],
            [f"DROP INDEX IF EXISTS customers_{kind}_search" for kind in PG_TEXT],
        ),
        migrations.RunPython(create_sqlite_index, drop_sqlite_index),
    ]
