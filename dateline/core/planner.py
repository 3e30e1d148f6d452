"""Fresh planner statistics after a write that changes the shape of the data at once.

SQLite keeps no statistics unless asked (PostgreSQL's autovacuum gets to it later): on a
freshly imported 10,000-post blog, SQLite counted a label's posts by scanning every post
(1.9 ms; 0.1 ms once analysed). An import is the moment the data's shape changes most, so
it ends with ANALYZE.
"""

from django.db import DEFAULT_DB_ALIAS, connections


def refresh_statistics(using: str = DEFAULT_DB_ALIAS) -> None:
    """ANALYZE the whole database (outside the import's transaction: it is not content)."""
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")
