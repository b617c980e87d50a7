"""Custom-field filters use an index on PostgreSQL: a GIN index (jsonb_path_ops) on each
record's custom values answers `custom @> '{"key": value}'`, which the filters in
amity.core.custom_field_filters send there. Without it a filter on a rare value scans the
table (seconds at 1M contacts). SQLite has no such index; it filters by key."""

from django.db import migrations

from amity.core.migration_ops import RunSQLOnPostgres


def _index(kind: str) -> tuple[str, str]:
    return (f"CREATE INDEX customers_{kind}_custom ON customers_{kind} "
            "USING gin (custom jsonb_path_ops)",
            f"DROP INDEX customers_{kind}_custom")


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0013_fewer_indexes"),
    ]

    operations = [RunSQLOnPostgres(*_index(kind)) for kind in ("account", "contact")]
