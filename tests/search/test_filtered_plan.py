"""Filters narrow the matches; they never make the engine run the match once per post.

A filter written as `rowid IN (posts in range)` let SQLite drive FTS5 by rowid, running
the MATCH (for a prefix: merging every word's posting list) once per filtered post.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from dateline.search import service

pytestmark = pytest.mark.django_db

FILTERED = [
    "q=harb*&from=0001-01-01&to=9999-12-31",
    "q=harb*&from=2024-02-01&to=2024-03-31",
    "q=harb*&label=Malta",
    "q=harb*+ferr*&label=Malta&label=Weather&from=2024-01-15",
    "q=ferry&to=2024-02-28",
    'q="harbour+gates"&label=Weather',
]


@pytest.fixture
def blog(make_post, index):
    words = ["harbour", "harbours", "harbourside", "ferry", "ferries", "gates"]
    labels = [("Malta",), ("Weather",), ("Malta", "Weather"), ()]
    for n in range(40):
        make_post(
            title=f"{words[n % 6]} report {n}",
            body_source=f"The {words[(n * 5) % 6]} and the {words[(n + 2) % 6]} gates {n}.",
            labels=labels[n % 4],
            published_at=datetime(2024, 1, 1, 12, tzinfo=UTC) + timedelta(days=3 * n),
        )
    index()


def _page(query_string: str) -> service.SearchPage:
    return service.search(service.params_from(QueryDict(query_string)), page_size=100)


def _by_hand(query_string: str) -> list[int]:
    """The unfiltered search's posts, filtered in Python the way the filters read."""
    params = service.params_from(QueryDict(query_string))
    unfiltered = _page(f"q={params.text}")
    kept = []
    for result in unfiltered.results:
        day = result.post.published_at.date()
        names = {label.name for label in result.post.labels.all()}
        in_range = (params.start or day) <= day <= (params.end or day)
        if in_range and set(params.labels) <= names:
            kept.append(result.post.pk)
    return kept


@pytest.mark.parametrize("query_string", FILTERED)
def test_filtered_results_are_the_unfiltered_results_filtered(blog, query_string):
    page = _page(query_string)
    expected = _by_hand(query_string)
    assert expected, "the case must keep some posts"
    assert sorted(result.post.pk for result in page.results) == sorted(expected)
    assert page.total == len(expected)


def test_sqlite_runs_each_match_once_not_once_per_filtered_post(client, blog):
    """Every FTS5 scan of a filtered search is driven by MATCH alone: its plan's index
    string (`M…` for MATCH, `=` for a rowid lookup) never holds `=`."""
    if connection.vendor != "sqlite":
        pytest.skip("the plan shape is FTS5's; PostgreSQL matches once through its GIN index")
    for query_string in FILTERED:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/search?{query_string}").status_code == 200
        scans = []
        for query in queries.captured_queries:
            if "search_fts" not in query["sql"]:
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                scans += [row[3] for row in cursor.fetchall() if "VIRTUAL TABLE" in row[3]]
        assert len(scans) >= 4, (query_string, scans)  # facets, ranking, snippets, labels
        for detail in scans:
            index_string = detail.rsplit(":", 1)[1]
            assert "M" in index_string and "=" not in index_string, (query_string, detail)
