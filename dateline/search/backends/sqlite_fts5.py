"""SQLite FTS5: an external-content index over `search_document`, ranked by bm25.

The FTS5 table `search_fts` holds no copy of the text; snippets read it from
`search_document`. Because the content is external, FTS5 must be told the old
text of a row before it goes (the 'delete' command), which `_before_delete` does.
"""

from collections.abc import Iterable

from django.db import connection, transaction
from django.utils.safestring import SafeString

from dateline.search.backends.base import (
    MARK_END,
    MARK_START,
    SearchBackend,
    highlight,
)
from dateline.search.models import SearchDocument
from dateline.search.query import ParsedQuery, fts5_match

COLUMNS = "title, labels, publisher, body"
BODY_COLUMN = 3
MONTH_INDEX = "search_doc_month_cover"  # SearchDocument.Meta.indexes
SNIPPET_TOKENS = 24


class SqliteFts5Backend(SearchBackend):
    vendor = "sqlite"
    id_column = "search_fts.rowid"
    # The unary + keeps a filter's `rowid IN (…)` from driving FTS5: otherwise SQLite runs
    # the MATCH once per filtered post (`rowid = ?`), and a prefix match merges all its
    # words' posting lists every time (a prefix over a wide date range: minutes).
    filtered_id = "+search_fts.rowid"

    def _match(self, query: ParsedQuery, with_document: bool) -> tuple[str, str, list]:
        from_sql = "search_fts"
        if with_document:  # the month facet: each match's month, from the covering index
            # (without statistics that name it, SQLite reads each match's whole row instead,
            # several times slower on a big blog: bench/search.py)
            from_sql += (
                f" JOIN search_document d INDEXED BY {MONTH_INDEX} ON d.post_id = search_fts.rowid"
            )
        return from_sql, "search_fts MATCH %s", [fts5_match(query)]

    def _rank(self) -> str:
        # `rank` is bm25 with the column weights the migration configured.
        return "search_fts.rank, search_fts.rowid DESC"

    def snippets(self, query: ParsedQuery, post_ids: list[int]) -> dict[int, SafeString]:
        """Highlighted body excerpts, computed for one page of results only.

        The match runs once over the page's rowid range, each row tested against the page
        (`+rowid`), rather than once per post: a prefix's match is costly to set up."""
        if not post_ids:
            return {}
        marks = ", ".join(["%s"] * len(post_ids))
        sql = (
            f"SELECT rowid, snippet(search_fts, {BODY_COLUMN}, %s, %s, '…', {SNIPPET_TOKENS}) "  # noqa: S608 - constants and placeholders
            "FROM search_fts WHERE search_fts MATCH %s AND rowid BETWEEN %s AND %s "
            f"AND +rowid IN ({marks})"
        )
        params = [MARK_START, MARK_END, fts5_match(query), min(post_ids), max(post_ids)]
        rows = self._rows(sql, [*params, *post_ids])
        return {post_id: highlight(text or "") for post_id, text in rows}

    def _before_delete(self, post_ids: list[int]) -> None:
        marks = ", ".join(["%s"] * len(post_ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) "  # noqa: S608 - constants and placeholders
                f"SELECT 'delete', post_id, {COLUMNS} FROM search_document "
                f"WHERE post_id IN ({marks})",
                post_ids,
            )

    def _after_insert(self, post_ids: list[int]) -> None:
        marks = ", ".join(["%s"] * len(post_ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO search_fts(rowid, {COLUMNS}) "  # noqa: S608 - constants and placeholders
                f"SELECT post_id, {COLUMNS} FROM search_document WHERE post_id IN ({marks})",
                post_ids,
            )

    def rebuild(self, batches: Iterable[list[SearchDocument]]) -> int:
        """Rewrite every document, then let FTS5 index them in one pass and merge its segments."""
        written = 0
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
                cursor.execute("DELETE FROM search_document")
            for batch in batches:
                SearchDocument.objects.bulk_create(batch, batch_size=200)
                written += len(batch)
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        return written
