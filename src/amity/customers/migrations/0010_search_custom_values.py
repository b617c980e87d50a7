"""Search finds records by the text of their custom values too (text and choice fields).

PostgreSQL: the GIN trigram indexes of 0003 are remade on the searchable text followed by
the strings among the custom values; the expressions must stay identical to those in
amity.customers.search.postgres. SQLite: the FTS5 triggers and rows are remade from
amity.customers.search.sqlite_index (as after every migrate)."""

from django.db import migrations

from amity.core.migration_ops import RunSQLOnPostgres
from amity.customers.search import sqlite_index

PG_DIGITS = "translate(phone, ' -().+/', '')"
PG_CUSTOM = """jsonb_path_query_array(custom, '$.* ? (@.type() == "string")')::text"""
PG_TEXT_BEFORE = {
    "account": "name || ' ' || website || ' ' || phone || ' ' || " + PG_DIGITS,
    "contact": "given_name || ' ' || family_name || ' ' || family_name || given_name"
               " || ' ' || email || ' ' || phone || ' ' || " + PG_DIGITS,
}
PG_TEXT = {kind: f"{text} || ' ' || {PG_CUSTOM}" for kind, text in PG_TEXT_BEFORE.items()}


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
        ("customers", "0009_contact_points_tags_memberships"),
    ]

    operations = [
        RunSQLOnPostgres(_indexes(PG_TEXT), _indexes(PG_TEXT_BEFORE)),
        migrations.RunPython(repair_sqlite_index, migrations.RunPython.noop),
    ]
