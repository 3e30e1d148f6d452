"""Plain executemany INSERT/UPDATE for the import's biggest tables.

`bulk_create` compiles every value of every row through the ORM, which is
most of the cost of 50,000 comments and 30,000 post-label rows. These
helpers send the same rows with one parameterised statement (portable: the
backend turns `%s` into its own placeholder) and adapt only what needs it
(times). Table and column names come from the model, never from input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models


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


def update_column(
    model: type[models.Model], field_name: str, rows: Iterable[tuple[Any, int]]
) -> None:
    """Set one column on many rows: `rows` are (value, primary key) pairs."""
    meta, quote = model._meta, connection.ops.quote_name
    field = meta.get_field(field_name)
    adapt = _adapter(field)
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {quote(field.column)} = %s "  # noqa: S608 - model names
        f"WHERE {quote(meta.pk.column)} = %s"
    )
    values = [(adapt(value), pk) for value, pk in rows]
    if values:
        with connection.cursor() as cursor:
            cursor.executemany(sql, values)
