"""Inserting many rows at once: COPY on PostgreSQL (the bulk path, several times faster
than INSERT), bulk_create elsewhere. Like bulk_create, no save() and no signals."""

from collections.abc import Iterable, Sequence

from django.db import connection, models
from psycopg.types.json import Jsonb


def bulk_insert(model: type[models.Model], objs: Sequence[models.Model], *,
                need_ids: bool = False) -> None:
    """Insert `objs`; with `need_ids`, each object gets its primary key set."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=1000)
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if need_ids or not f.primary_key]
    if need_ids:
        for obj, pk in zip(objs, next_ids(model, len(objs)), strict=True):
            obj.pk = pk
    getters = [_getter(f) for f in fields]
    _copy(model, [f.column for f in fields], ([get(obj) for get in getters] for obj in objs))
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias


def _getter(field: models.Field):
    """How to read one column's value: plain attributes directly (psycopg adapts them),
    the rest through the field (auto_now stamps, JSON)."""
    plain = (models.CharField, models.TextField, models.IntegerField, models.BooleanField,
             models.DateField, models.ForeignKey, models.FloatField, models.DecimalField)
    stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    if isinstance(field, plain) and not stamped and not field.primary_key \
            and type(field).pre_save is models.Field.pre_save:
        attname = field.attname
        return lambda obj: getattr(obj, attname)
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)


def next_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys taken from the table's sequence (PostgreSQL), in one query."""
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                       "FROM generate_series(1, %s)", [meta.db_table, meta.pk.column, count])
        return [pk for (pk,) in cursor.fetchall()]


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence],
                *, need_ids: bool = False) -> list[int]:
    """Insert plain rows of values, one per column named (attnames, as the database takes
    them: dicts for JSON columns), without a model instance per row, which costs more than
    the COPY itself. Defaults are not applied: give every column that needs one. With
    `need_ids`, the new primary keys in the order of `rows`."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model._default_manager.bulk_create(objs, batch_size=1000)
        return [obj.pk for obj in objs] if need_ids else []
    fields = [model._meta.get_field(name) for name in columns]
    json = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    ids = next_ids(model, len(rows)) if need_ids else []
    columns = [f.column for f in fields]
    if need_ids:
        columns.insert(0, model._meta.pk.column)
        rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
        json = [i + 1 for i in json]
    _copy(model, columns, (_with_json(row, json) for row in rows))
    return ids


def _with_json(row: Sequence, json_columns: list[int]) -> Sequence:
    if not json_columns:
        return row
    row = list(row)
    for i in json_columns:
        row[i] = Jsonb(row[i])
    return row


def _copy(model: type[models.Model], columns: list[str], rows: Iterable[Sequence]) -> None:
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, \
            cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def analyze(model: type[models.Model]) -> None:
    """Refresh the planner's statistics of a table after a bulk load (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
