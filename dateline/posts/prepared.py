"""Querysets compiled to SQL once per process, for the public pages' hot reads.

Building and compiling a queryset costs several times what SQLite takes to answer it,
and a public page asks five such questions. The ORM still builds each query
once (so quoting, types and the visibility rule stay Django's and the model's); what
changes between requests (the current time, a path, an id, a page's bounds) is a marked
parameter swapped in, as `dateline.core.versioning` does for the content version.

This is the one module that reads Django's private ORM internals (the SQL compiler's
`klass_info`, `select`, `col_count`, `annotation_col_map`, converters and related
populators): the riskiest code at a Django upgrade. It is pinned two ways:
tests/posts/test_prepared_selectors.py holds every prepared read to the plain queryset's
answer, and CHECKED_DJANGO stops the suite at any Django other than the one these
internals were read against, until someone re-reads them and moves it.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

# The Django release whose compiler internals this module was checked against.
CHECKED_DJANGO = (5, 2)

# Marker values: each one must survive adaptation unchanged apart from its type, and be
# a value no real query would use, so its positions among the parameters are unambiguous.
NOW = datetime(2000, 1, 1, 0, 0, 0, 271828, tzinfo=UTC)
START = datetime(2000, 1, 2, 0, 0, 0, 314159, tzinfo=UTC)
END = datetime(2000, 1, 3, 0, 0, 0, 161803, tzinfo=UTC)
TEXT = "\x00dateline-prepared-text\x00"


def ID(n: int = 0) -> int:
    """The n-th integer marker (ids are positive, so these never collide with one)."""
    return -7_000_000_000 - n


def _adapt(connection: Any, value: Any) -> Any:
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


@dataclass(frozen=True)
class PreparedQuery:
    """One compiled SELECT; `objects()` gives model instances as the queryset would."""

    alias: str
    sql: str
    params: tuple
    slots: tuple[tuple[int, str], ...]  # parameter position -> marker name
    compiler: Any
    init_list: tuple[str, ...]
    model_slice: slice
    annotations: tuple[tuple[str, int], ...]
    related_populators: tuple
    converters: dict  # column -> the backend's converters, found once (results_iter asks
    # the backend for every column on every call)

    def _params(self, values: dict[str, Any], connection: Any) -> list:
        params = list(self.params)
        for position, name in self.slots:
            params[position] = _adapt(connection, values[name])
        return params

    def rows(self, suffix: str = "", extra: Sequence = (), **values: Any) -> list:
        """Raw rows, each column converted as the ORM would (dates, booleans)."""
        # Looked up once: each lookup reads a thread-local through asgiref.
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql + suffix, [*self._params(values, connection), *extra])
            fetched = cursor.fetchall()
        if not self.converters:
            return fetched
        return list(self.compiler.apply_converters(fetched, self.converters))

    def objects(self, suffix: str = "", extra: Sequence = (), **values: Any) -> list[Model]:
        model = self.compiler.klass_info["model"]
        found = []
        for row in self.rows(suffix, extra, **values):
            obj = model.from_db(self.alias, self.init_list, row[self.model_slice])
            for populator in self.related_populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            found.append(obj)
        return found

    def count(self, **values: Any) -> int:
        """How many rows the query gives (its own ORDER BY is harmless inside COUNT)."""
        counting = f"SELECT COUNT(*) FROM ({self.sql}) counted"  # noqa: S608 - ORM-built SQL
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(counting, self._params(values, connection))
            return cursor.fetchone()[0]


def prepare(queryset: QuerySet, **markers: Any) -> PreparedQuery:
    """Compile `queryset`, built with the given marker values, for reuse with real ones."""
    alias = queryset.db
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    slots = []
    for name, marker in markers.items():
        adapted = _adapt(connections[alias], marker)
        positions = [i for i, value in enumerate(params) if value == adapted]
        if not positions:
            raise ValueError(f"marker {name!r} is not among the query's parameters")
        slots += [(position, name) for position in positions]
    klass_info = compiler.klass_info
    select = compiler.select
    fields = klass_info["select_fields"]
    columns = [column[0] for column in select[: compiler.col_count]]
    if compiler.has_composite_fields(columns):
        raise ValueError("composite fields are not supported")
    return PreparedQuery(
        alias=alias,
        sql=sql,
        params=tuple(params),
        slots=tuple(slots),
        compiler=compiler,
        init_list=tuple(f[0].target.attname for f in select[fields[0] : fields[-1] + 1]),
        model_slice=slice(fields[0], fields[-1] + 1),
        annotations=tuple(compiler.annotation_col_map.items()),
        related_populators=tuple(get_related_populators(klass_info, select, alias)),
        converters=compiler.get_converters(columns),
    )


def prepared(build: Callable[..., PreparedQuery]) -> Callable[..., PreparedQuery]:
    """Memoize a builder per database (the SQL differs by vendor) and shape arguments."""
    cached = lru_cache(maxsize=256)(build)

    def get(*shape: Any, using: str = "default") -> PreparedQuery:
        conn = connections[using]
        return cached(using, conn.vendor, *shape)

    get.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return get
