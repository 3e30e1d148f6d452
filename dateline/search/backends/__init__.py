"""The one place that picks a search engine: the database in use decides."""

from django.db import connection

from dateline.search.backends.base import Filters, SearchBackend
from dateline.search.backends.postgres import PostgresBackend
from dateline.search.backends.sqlite_fts5 import SqliteFts5Backend

__all__ = ["Filters", "SearchBackend", "get_backend"]

_BACKENDS: dict[str, type[SearchBackend]] = {
    "sqlite": SqliteFts5Backend,
    "postgresql": PostgresBackend,
}


def get_backend() -> SearchBackend:
    """The backend for the default database; other databases are refused plainly."""
    try:
        return _BACKENDS[connection.vendor]()
    except KeyError:
        raise NotImplementedError(f"No search backend for {connection.vendor!r}.") from None
