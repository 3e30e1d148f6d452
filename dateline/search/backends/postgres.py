"""PostgreSQL full text: a generated, weighted `tsvector` on `search_document` with a GIN
index, ranked by `ts_rank_cd`.

The tsquery is composed from parts that never fail on any input: `plainto_tsquery`
for a word, `phraseto_tsquery` for a phrase, and `to_tsquery` only for a prefix,
whose word the parser has reduced to letters and digits and which is quoted here.
The `simple` configuration (no stemming, no stop words) matches what FTS5's
`unicode61` tokenizer does, so both engines find the same posts.
"""

from collections.abc import Iterable

from django.db import connection, transaction
from django.utils.safestring import SafeString

from dateline.search.backends.base import (
    LESS_THAN,
    MARK_END,
    MARK_START,
    SearchBackend,
    highlight,
)
from dateline.search.models import SearchDocument
from dateline.search.query import ParsedQuery, TermKind

CONFIG = "simple"
HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


def tsquery(query: ParsedQuery) -> tuple[str, list[str]]:
    """SQL for the tsquery of every term ANDed, with its parameters."""
    parts, params = [], []
    for term in query.terms:
        if term.kind is TermKind.PREFIX:
            parts.append(f"to_tsquery('{CONFIG}', %s)")
            params.append("'" + term.words[0].replace("'", "''") + "':*")
        elif term.kind is TermKind.PHRASE:
            parts.append(f"phraseto_tsquery('{CONFIG}', %s)")
            params.append(" ".join(term.words))
        else:
            parts.append(f"plainto_tsquery('{CONFIG}', %s)")
            params.append(term.words[0])
    return " && ".join(parts) or "''::tsquery", params


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def _match(self, query: ParsedQuery, with_document: bool) -> tuple[str, str, list]:
        sql, params = tsquery(query)
        return (
            f"search_document d CROSS JOIN (SELECT {sql} AS q) sq",
            "d.vector @@ sq.q",
            params,
        )

    def _rank(self) -> str:
        return "ts_rank_cd(d.vector, sq.q) DESC, d.published_at DESC"

    def snippets(self, query: ParsedQuery, post_ids: list[int]) -> dict[int, SafeString]:
        """Highlighted body excerpts, computed for one page of results only."""
        if not post_ids:
            return {}
        from_sql, _, params = self._match(query, with_document=True)
        sql = (
            f"SELECT d.post_id, ts_headline('{CONFIG}', replace(d.body, '<', %s), sq.q, %s) "  # noqa: S608 - constants and placeholders
            f"FROM {from_sql} WHERE d.post_id = ANY(%s)"
        )
        rows = self._rows(sql, [LESS_THAN, HEADLINE_OPTIONS, *params, post_ids])
        return {post_id: highlight(text or "") for post_id, text in rows}

    def rebuild(self, batches: Iterable[list[SearchDocument]]) -> int:
        written = 0
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE search_document")
            for batch in batches:
                SearchDocument.objects.bulk_create(batch, batch_size=200)
                written += len(batch)
        return written
