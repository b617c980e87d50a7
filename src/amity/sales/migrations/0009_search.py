"""Global search finds leads and opportunities (see amity.sales.search_kinds).

PostgreSQL: a GIN trigram index per table on the searchable text; the expressions are
copied here as they stand today and must stay identical to search_kinds' (the planner
uses an index only for the very same expression). SQLite: the FTS5 table of
customers.search.sqlite_index gains their rows and triggers after this migrate."""

from django.db import migrations

from amity.core.migration_ops import RunSQLOnPostgres

DIGITS = "translate(phone, ' -().+/', '')"
CUSTOM = """jsonb_path_query_array(custom, '$.* ? (@.type() == "string")')::text"""
TEXT = {
    "sales_lead": "given_name || ' ' || family_name || ' ' || family_name || given_name"
                  " || ' ' || company || ' ' || email || ' ' || phone || ' ' || " + DIGITS
                  + " || ' ' || " + CUSTOM,
    "sales_opportunity": "name || ' ' || " + CUSTOM,
}


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0010_search_custom_values"),  # pg_trgm
        ("sales", "0008_quote_adjustments"),
    ]

    operations = [
        RunSQLOnPostgres(
            [f"CREATE INDEX {table}_search ON {table} USING gin (({text}) gin_trgm_ops)"
             for table, text in TEXT.items()],
            [f"DROP INDEX IF EXISTS {table}_search" for table in TEXT],
        ),
    ]
