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

from dateline.core.batching import in_batches

_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField,
          models.ForeignKey)  # fmt: skip


def _file_name(value: Any) -> str | None:
    return None if value is None else str(value)  # what FileField.get_prep_value gives


def _adapter(field: models.Field) -> Callable[[Any], Any] | None:
    """How a value of this field is sent: as it is (None), or converted."""
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.FileField):
        return _file_name
    if isinstance(field, _AS_IS):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _adapted(fields: Sequence[models.Field], rows: Iterable[Sequence[Any]]) -> list[list[Any]]:
    """Rows as the driver takes them; only the columns that need it are converted."""
    converted = [(i, adapt) for i, f in enumerate(fields) if (adapt := _adapter(f)) is not None]
    values = []
    for row in rows:
        row = list(row)
        for i, adapt in converted:
            row[i] = adapt(row[i])
        values.append(row)
    return values


def _insert(model: type[models.Model], fields: Sequence[models.Field], values: list) -> None:
    meta, quote = model._meta, connection.ops.quote_name
    names = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608 - model names
    if values:
        with connection.cursor() as cursor:
            cursor.executemany(sql, values)


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """INSERT rows (values in `fields` order, by attribute name such as `post_id`)."""
    columns = [model._meta.get_field(name) for name in fields]
    _insert(model, columns, _adapted(columns, rows))


def insert_models(model: type[models.Model], objs: Sequence[models.Model], key: str) -> None:
    """INSERT model instances with every concrete field as set (no `auto_now` stamping:
    set those yourself), then give each its primary key, found by its unique `key` field."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    _insert(model, fields, _adapted(fields, ([getattr(o, n) for n in names] for o in objs)))
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
        for chunk in in_batches(values):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT {column}, {quote(meta.pk.column)} FROM {quote(meta.db_table)} "  # noqa: S608 - model names
                f"WHERE {column} IN ({marks})",
                chunk,
            )
            found.update(cursor.fetchall())
    return found
