"""Fresh planner statistics after a write that changes the shape of the data at once.

SQLite keeps no statistics unless asked (PostgreSQL's autovacuum gets to it later): on a
freshly imported big blog, SQLite counted a label's posts by scanning every post, many
times slower than once analysed. An import is the moment the data's shape changes most, so
it ends with ANALYZE. A blog that grew a post at a time never had one: without statistics,
SQLite read a search page's posts by scanning the index of every published post, so
`dateline serve` and `dateline search rebuild` check that the statistics match the
blog's size (`refresh_statistics_if_stale`).
"""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

# Posts at which statistics start to matter, and how far the post count may drift from
# the one they were gathered at (either way) before they are gathered again.
STATISTICS_FROM = 500
STALE_FACTOR = 2


def refresh_statistics(using: str = DEFAULT_DB_ALIAS) -> None:
    """ANALYZE the whole database (outside the import's transaction: it is not content)."""
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")


def _analysed_rows(cursor, table: str) -> int | None:
    """The row count SQLite's statistics hold for a table, or None when it has none."""
    cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
    if cursor.fetchone() is None:
        return None
    cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s LIMIT 1", [table])
    found = cursor.fetchone()
    return int(found[0].split()[0]) if found else None


def refresh_statistics_if_stale(model: type[Model], using: str = DEFAULT_DB_ALIAS) -> bool:
    """On SQLite, ANALYZE when `model`'s table (the posts: the blog's size) holds
    STATISTICS_FROM rows or more and has no statistics, or STALE_FACTOR times more or
    fewer rows than when they were gathered. True when it ran."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    posts = model._default_manager.using(using).count()
    if posts < STATISTICS_FROM:
        return False
    with connection.cursor() as cursor:
        analysed = _analysed_rows(cursor, model._meta.db_table)
    if analysed and analysed * STALE_FACTOR >= posts and posts * STALE_FACTOR >= analysed:
        return False
    refresh_statistics(using)
    return True
