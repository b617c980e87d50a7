"""Inserting many rows at once: COPY on PostgreSQL (the bulk path, several times faster
than INSERT), bulk_create elsewhere. Like bulk_create, no save() and no signals."""

from collections.abc import Sequence

from django.db import connection, models


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
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                           "FROM generate_series(1, %s)", [meta.db_table, meta.pk.column,
                                                            len(objs)])
            for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = pk
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(meta.db_table)
    getters = [_getter(f) for f in fields]
    with connection.cursor() as cursor, \
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for obj in objs:
            copy.write_row([get(obj) for get in getters])
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
