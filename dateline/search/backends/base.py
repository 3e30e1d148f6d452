"""What both engines share: the filters, the SQL around the match, safe highlighting.

An engine supplies only how to match and rank (`_match`, `_rank`), how to cut a
snippet, and how to keep its index beside `search_document`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dateline.core.batching import in_batches
from dateline.posts.models import Post
from dateline.search.models import SearchDocument
from dateline.search.query import ParsedQuery

# Snippets come back from the database with these around each hit. Indexed text has
# every control character stripped, so they cannot come from a post.
MARK_START, MARK_END = "\x02", "\x03"
# PostgreSQL's headline parser drops anything that looks like a tag ("<script>" and
# what follows), so it is given "<" as this character, turned back here.
LESS_THAN = "\x04"
LABELS_TABLE = Post.labels.through._meta.db_table
DATED = "SELECT post_id FROM search_document WHERE"
LABELLED = f"SELECT post_id FROM {LABELS_TABLE} WHERE"  # noqa: S608 - a table name


# A search reads at most this many matches: the newest, by post id. Ranking, counting
# and the facets each cost about as much per match read, so a word found in every post
# of a big blog costs what it costs on a blog of this many posts; past it the page says
# that it shows the best of the newest matches (search.service). Narrowing by date or
# label moves the window to the newest matches within the narrower search.
MATCH_WINDOW = 1_000


@dataclass(frozen=True)
class Filters:
    """What narrows a search besides its words. `end` is exclusive; `after` keeps only
    posts with a greater id (the match window: SearchBackend.window_start)."""

    now: datetime
    label_ids: tuple[int, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    after: int | None = None


def highlight(raw: str) -> SafeString:
    """Escape the snippet text, then turn our own markers, and only those, into <mark>."""
    marked = (
        escape(raw.replace(LESS_THAN, "<"))
        .replace(MARK_START, "<mark>")
        .replace(MARK_END, "</mark>")
    )
    return mark_safe(marked)  # noqa: S308 - escaped above; only our markup added


class SearchBackend:
    """One engine. Queries are raw SQL because each engine's matching is its own."""

    vendor = ""
    id_column = "d.post_id"  # how the matched post's id is named in `_match`'s FROM clause
    # How the filters name it: an engine may write it so that its planner tests each
    # match against a filter rather than looking up each filtered post in the index.
    filtered_id = "d.post_id"

    # --- what an engine provides ---------------------------------------------------
    def _match(self, query: ParsedQuery, with_document: bool) -> tuple[str, str, list]:
        """(FROM clause, WHERE condition, params); the FROM clause names `search_document d`
        when `with_document` is true (for the month facet)."""
        raise NotImplementedError

    def _rank(self) -> str:
        """ORDER BY terms, best match first."""
        raise NotImplementedError

    def snippets(self, query: ParsedQuery, post_ids: list[int]) -> dict[int, SafeString]:
        raise NotImplementedError

    def _before_delete(self, post_ids: list[int]) -> None:
        """Called before rows of `search_document` go; an engine may need the old text."""

    def _after_insert(self, post_ids: list[int]) -> None:
        """Called after rows of `search_document` are written."""

    def rebuild(self, batches: Iterable[list[SearchDocument]]) -> int:
        raise NotImplementedError

    # --- shared --------------------------------------------------------------------
    def _matched(
        self,
        query: ParsedQuery,
        filters: Filters,
        with_document: bool = False,
    ) -> tuple[str, list]:
        """`FROM … WHERE …` for the visible documents that match and pass the filters.

        Filters are id sets read through indexes (scheduled posts are few), so ranking
        never has to visit each match's row in `search_document`. Each set is read once
        and each match tested against it: the match runs once, whatever the filters.
        """
        from_sql, where, params = self._match(query, with_document)
        post = self.filtered_id
        conditions = [where, f"{post} NOT IN ({DATED} published_at > %s)"]
        params = [*params, filters.now]
        if filters.start is not None:
            conditions.append(f"{post} IN ({DATED} published_at >= %s)")
            params.append(filters.start)
        if filters.end is not None:
            conditions.append(f"{post} IN ({DATED} published_at < %s)")
            params.append(filters.end)
        for label_id in filters.label_ids:
            conditions.append(f"{post} IN ({LABELLED} label_id = %s)")
            params.append(label_id)
        if filters.after is not None:  # a range the engine reads its matches within
            conditions.append(f"{self.id_column} > %s")
            params.append(filters.after)
        return f"FROM {from_sql} WHERE {' AND '.join(conditions)}", params

    def _rows(self, sql: str, params: list) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def window_start(self, query: ParsedQuery, filters: Filters) -> int | None:
        """The id of the newest match past the newest MATCH_WINDOW, or None when no more
        match: the `after` that keeps a search to its window. Read in id order, which
        both engines give without ranking or counting every match."""
        matched, params = self._matched(query, filters)
        column = self.id_column
        sql = f"SELECT {column} {matched} ORDER BY {column} DESC LIMIT 1 OFFSET %s"
        found = self._rows(sql, [*params, MATCH_WINDOW])
        return found[0][0] if found else None

    def ranked_ids(
        self, query: ParsedQuery, filters: Filters, offset: int, limit: int
    ) -> list[int]:
        """One page of post ids, best first."""
        matched, params = self._matched(query, filters)
        sql = f"SELECT {self.id_column} {matched} ORDER BY {self._rank()} LIMIT %s OFFSET %s"
        return [row[0] for row in self._rows(sql, [*params, limit, offset])]

    def month_counts(self, query: ParsedQuery, filters: Filters) -> list[tuple[str, int]]:
        """How many matches per YYYY-MM, newest month first; their sum is the total."""
        matched, params = self._matched(query, filters, with_document=True)
        sql = f"SELECT d.month, COUNT(*) {matched} GROUP BY d.month ORDER BY d.month DESC"
        return [(month, count) for month, count in self._rows(sql, params)]

    def label_counts(
        self, query: ParsedQuery, filters: Filters, limit: int
    ) -> list[tuple[int, int]]:
        """(label id, matches) for the labels most common among the matches."""
        matched, params = self._matched(query, filters)
        joined = matched.replace(
            " WHERE ", f" JOIN {LABELS_TABLE} pl ON pl.post_id = {self.id_column} WHERE ", 1
        )
        sql = (
            f"SELECT pl.label_id, COUNT(*) {joined} GROUP BY pl.label_id "
            "ORDER BY COUNT(*) DESC, pl.label_id LIMIT %s"
        )
        return [(label_id, count) for label_id, count in self._rows(sql, [*params, limit])]

    # --- keeping the index ---------------------------------------------------------
    def replace(self, post_ids: list[int], documents: list[SearchDocument]) -> None:
        """Make the index hold exactly `documents` for `post_ids` (fewer means removal)."""
        with transaction.atomic():
            for chunk in in_batches(post_ids):
                self._before_delete(chunk)
                SearchDocument.objects.filter(post_id__in=chunk).delete()
            SearchDocument.objects.bulk_create(documents, batch_size=200)
            written = [document.post_id for document in documents]
            for chunk in in_batches(written):
                self._after_insert(chunk)
