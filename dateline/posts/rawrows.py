"""Rows read raw: the ORM's SQL and parameters, without its per-value converters.

For 10,000 posts the converters cost more than the query; the mirror's state and the
sitemap read every visible post this way. Tests hold both readers to the ORM's answers in
several time zones on SQLite and PostgreSQL.
"""

from collections.abc import Callable
from datetime import datetime, tzinfo

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime


def raw_rows(queryset: QuerySet) -> list[tuple]:
    """The rows of a values_list() queryset as the database driver gives them: the ORM's
    SQL and parameters, without its per-value converters (for 10,000 posts they cost more
    than the query). Dates come back as the backend stores them: see `local_times`."""
    try:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def zones(alias: str = "default") -> tuple[tzinfo | None, tzinfo]:
    """The zone a driver's naive times are in (None without USE_TZ) and the site's: what
    `local_times` converts between, and so part of the key of anything remembered from it."""
    return connections[alias].timezone, timezone.get_current_timezone()


def local_times(alias: str = "default") -> Callable[[str | datetime], datetime]:
    """Raw DateTimeField values to what the ORM gives, in the site's time zone: SQLite's
    driver gives naive times in the connection's zone (UTC unless DATABASES sets one; text
    without Django's converter), psycopg aware ones. The zones are looked up once."""
    stored, zone = zones(alias)

    def convert(value: str | datetime) -> datetime:
        if isinstance(value, str):
            value = parse_datetime(value)
        if value.tzinfo is None:
            if stored is None:
                return value
            value = value.replace(tzinfo=stored)
        return value.astimezone(zone)

    return convert
