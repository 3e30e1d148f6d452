"""Plain executemany INSERTs and id lookups for the import's biggest tables.

`bulk_create` compiles every value of every row through the ORM, which is
most of the cost of 10,000 posts, 50,000 comments and 30,000 post-label rows.
These helpers send the same rows with one parameterised statement (portable:
the backend turns `%s` into its own placeholder) and adapt only what needs it
(times). Table and column names come from the model, never from input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models

IN_CHUNK = 900  # values in one IN (...): under SQLite's oldest limit of 999 parameters


def _adapter(field: models.Field) -> Callable[[Any], Any]:
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    return lambda value: value


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """INSERT rows (values in `fields` order, by attribute name such as `post_id`)."""
    meta, quote = model._meta, connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    adapt = [_adapter(field) for field in columns]
    names = ", ".join(quote(field.column) for field in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608 - model names
    values = [tuple(a(v) for a, v in zip(adapt, row, strict=True)) for row in rows]
    if values:
        with connection.cursor() as cursor:
            cursor.executemany(sql, values)


def insert_models(model: type[models.Model], objs: Sequence[models.Model], key: str) -> None:
    """INSERT model instances with every concrete field as set (no `auto_now` stamping:
    set those yourself), then give each its primary key, found by its unique `key` field."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    rows = (
        [f.get_db_prep_save(f.value_from_object(obj), connection) for f in fields] for obj in objs
    )
    meta, quote = model._meta, connection.ops.quote_name
    names = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608 - model names
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(rows))
    ids = ids_by(model, key, [getattr(obj, key) for obj in objs])
    for obj in objs:
        obj.pk = ids[getattr(obj, key)]
        obj._state.adding, obj._state.db = False, connection.alias


def ids_by(model: type[models.Model], key: str, values: Sequence[Any]) -> dict[Any, int]:
    """Primary keys of the rows whose unique `key` field has one of `values`."""
    meta, quote = model._meta, connection.ops.quote_name
    column = quote(meta.get_field(key).column)
    found: dict[Any, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(values), IN_CHUNK):
            chunk = values[start : start + IN_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT {column}, {quote(meta.pk.column)} FROM {quote(meta.db_table)} "  # noqa: S608 - model names
                f"WHERE {column} IN ({marks})",
                chunk,
            )
            found.update(cursor.fetchall())
    return found
