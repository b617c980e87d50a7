"""The SQLite search index: an FTS5 table (trigram tokenizer) with the searchable text
of every record of the search kinds (search.kinds: accounts, contacts, leads,
opportunities) not in the recycle bin, kept in step by triggers.

Migration 0003 creates it, 0010 (custom values) its triggers. SQLite drops a table's
triggers whenever Django remakes the table (most AlterField and AddField operations do),
so after every migrate `repair` puts back any trigger that is missing or differs from the
ones below, and refills."""

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from amity.customers.search.kinds import KINDS, SLOTS, SearchKind

TABLE = "customers_search"
MIN_SQLITE = (3, 34)  # the trigram tokenizer


def _triggers(kind: SearchKind) -> dict[str, str]:
    table, slot, text = kind.table, kind.slot, kind.sqlite_indexed
    insert = (f"INSERT INTO {TABLE} (rowid, kind, record_id, text) SELECT NEW.id * {SLOTS} + "
              f"{slot}, '{kind.name}', NEW.id, {text.format(r='NEW.')} "
              "WHERE NEW.deleted IS NULL;")
    forget = f"DELETE FROM {TABLE} WHERE rowid = OLD.id * {SLOTS} + {slot};"  # noqa: S608 - constants
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in (*kind.watched, "deleted"))
    return {
        f"{table}_search_insert":
            f"CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"{table}_search_update":
            f"CREATE TRIGGER {table}_search_update AFTER UPDATE ON {table} WHEN {changed} "
            f"BEGIN {forget} {insert} END",
        f"{table}_search_delete":
            f"CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} BEGIN {forget} END",
    }


def _existing_kinds(tables: set[str]) -> list[SearchKind]:
    """The registered kinds whose table exists yet (a migration of customers runs before
    those of the areas that register more kinds)."""
    return [kind for kind in KINDS.values() if kind.table in tables]


def _expected(tables: set[str]) -> dict[str, str]:
    return {name: sql for kind in _existing_kinds(tables)
            for name, sql in _triggers(kind).items()}


def create(connection: BaseDatabaseWrapper) -> None:
    """Create the table (migration 0003). Its triggers and rows come from `repair` (in
    migration 0010 and after every migrate): they read columns later migrations add."""
    if connection.Database.sqlite_version_info < MIN_SQLITE:
        raise RuntimeError("Amity's search needs SQLite 3.34 or newer (FTS5 trigram tokenizer); "
                           f"this Python has SQLite {connection.Database.sqlite_version}.")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
                       "kind UNINDEXED, record_id UNINDEXED, text, tokenize = 'trigram')")


def drop(connection: BaseDatabaseWrapper) -> None:
    """Remove the table and its triggers (reversing migration 0003)."""
    with connection.cursor() as cursor:
        for name in _expected(set(connection.introspection.table_names(cursor))):
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def repair(connection: BaseDatabaseWrapper) -> bool:
    """Put back missing or outdated triggers and refill the table; True if it had to."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name, sql FROM sqlite_master "
                       "WHERE type IN ('trigger', 'table')")
        rows = cursor.fetchall()
    found = {name: sql for kind, name, sql in rows if kind == "trigger"}
    tables = {name for kind, name, _sql in rows if kind == "table"}
    expected = _expected(tables)
    if TABLE not in tables or all(found.get(name) == sql for name, sql in expected.items()):
        return False
    _install(connection, tables)
    return True


def repair_after_migrate(using: str, **kwargs) -> None:
    """post_migrate receiver: repair the index of the database just migrated."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        repair(connection)


def _install(connection: BaseDatabaseWrapper, tables: set[str]) -> None:
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for name, sql in _expected(tables).items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(sql)
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 - constant
        for kind in _existing_kinds(tables):
            cursor.execute(
                f"INSERT INTO {TABLE} (rowid, kind, record_id, text) "  # noqa: S608 - constants
                f"SELECT id * {SLOTS} + {kind.slot}, '{kind.name}', id, "
                f"{kind.sqlite_indexed.format(r='')} FROM {kind.table} WHERE deleted IS NULL"
            )

