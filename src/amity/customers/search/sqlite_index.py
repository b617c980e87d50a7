"""The SQLite search index: an FTS5 table (trigram tokenizer) with the searchable text
of every account and contact not in the recycle bin, kept in step by triggers.

Migration 0003 creates it, 0010 (custom values) its triggers. SQLite drops a table's
triggers whenever Django remakes the table (most AlterField and AddField operations do),
so after every migrate `repair` puts back any trigger that is missing or differs from the
ones below, and refills."""

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "customers_search"
MIN_SQLITE = (3, 34)  # the trigram tokenizer

# SQLite has no translate(): the same characters as PostgreSQL's translate(phone, ' -().+/', '').
_DIGITS = ("replace(replace(replace(replace(replace(replace(replace("
           "{r}phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', ''), '/', '')")
# A row's searchable text ({r} is "NEW." in a trigger); PostgreSQL indexes the same text.
# The strings among the custom values: top-level ones and items of top-level lists (as
# PostgreSQL's jsonb_path_query_array(custom, '$.* ? (@.type() == "string")')).
_CUSTOM = ("coalesce((SELECT group_concat(value, ' ') FROM json_tree({r}custom) "
           "WHERE type = 'text' AND (path = '$' OR typeof(key) = 'integer')), '')")
_TEXT = {
    "account": "{r}name || ' ' || {r}website || ' ' || {r}phone || ' ' || " + _DIGITS
               + " || ' ' || " + _CUSTOM,
    "contact": "{r}given_name || ' ' || {r}family_name || ' ' || {r}family_name || {r}given_name"
               " || ' ' || {r}email || ' ' || {r}phone || ' ' || " + _DIGITS
               + " || ' ' || " + _CUSTOM,
}
_SEARCHED = {
    "account": ("name", "website", "phone", "custom"),
    "contact": ("given_name", "family_name", "email", "phone", "custom"),
}
# rowid = record id * 2 + parity, so a trigger finds a record's row by rowid.
PARITY = {"account": 0, "contact": 1}


def _triggers(kind: str) -> dict[str, str]:
    table, parity = f"customers_{kind}", PARITY[kind]
    insert = (f"INSERT INTO {TABLE} (rowid, kind, record_id, text) SELECT NEW.id * 2 + {parity}, "
              f"'{kind}', NEW.id, {_TEXT[kind].format(r='NEW.')} WHERE NEW.deleted IS NULL;")
    forget = f"DELETE FROM {TABLE} WHERE rowid = OLD.id * 2 + {parity};"  # noqa: S608 - constants
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in (*_SEARCHED[kind], "deleted"))
    return {
        f"{table}_search_insert":
            f"CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"{table}_search_update":
            f"CREATE TRIGGER {table}_search_update AFTER UPDATE ON {table} WHEN {changed} "
            f"BEGIN {forget} {insert} END",
        f"{table}_search_delete":
            f"CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} BEGIN {forget} END",
    }


TRIGGERS = {name: sql for kind in PARITY for name, sql in _triggers(kind).items()}


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
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def repair(connection: BaseDatabaseWrapper) -> bool:
    """Put back missing or outdated triggers and refill the table; True if it had to."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name, sql FROM sqlite_master "
                       "WHERE type = 'trigger' OR (type = 'table' AND name = %s)", [TABLE])
        rows = cursor.fetchall()
    found = {name: sql for kind, name, sql in rows if kind == "trigger"}
    has_table = any(kind == "table" for kind, _name, _sql in rows)
    if not has_table or all(found.get(name) == sql for name, sql in TRIGGERS.items()):
        return False
    _install(connection)
    return True


def repair_after_migrate(using: str, **kwargs) -> None:
    """post_migrate receiver: repair the index of the database just migrated."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        repair(connection)


def _install(connection: BaseDatabaseWrapper) -> None:
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for name, sql in TRIGGERS.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(sql)
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 - constant
        for kind, parity in PARITY.items():
            cursor.execute(
                f"INSERT INTO {TABLE} (rowid, kind, record_id, text) "  # noqa: S608 - constants
                f"SELECT id * 2 + {parity}, '{kind}', id, {_TEXT[kind].format(r='')} "
                f"FROM customers_{kind} WHERE deleted IS NULL"
            )

