"""A search reads only its newest MATCH_WINDOW matches; held here to the plain search
(a window larger than the blog) on the database in use, SQLite FTS5 or PostgreSQL.

Within the window nothing changes: the same posts in the same order, the same count,
facets and pages. Past it, the page is the plain search's ranking of exactly the newest
MATCH_WINDOW matches, and its count and facets are theirs, and it says so.
"""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone

from dateline.search import service
from dateline.search.backends import base
from tests.pages import visible_lines
from tests.search.conftest import result_titles

pytestmark = pytest.mark.django_db

WORDS = ["harbour", "ferry", "storm", "gates", "harbours", "tide"]
QUERIES = ["q=harbour", "q=ferry+harbour", "q=harb*", 'q="harbour+gates"', "q=tide",
           "q=harbour&label=Malta", "q=ferr*&from=2024-02-01&to=2024-04-30",
           "q=storm&label=Malta&label=Weather"]  # fmt: skip
WINDOWS = [1, 3, 7]


@pytest.fixture
def blog(make_post, index):
    """Posts whose ids do not follow their dates (imports write old posts late), with
    repeated words for the ranking to tell apart, and labels for the facets."""
    labels = [("Malta",), ("Weather",), ("Malta", "Weather"), ()]
    for n in range(30):
        day = datetime(2024, 1, 1, 12, tzinfo=UTC) + timedelta(days=(n * 37) % 150)
        words = " ".join(
            [WORDS[n % 6], WORDS[n // 2 % 6], WORDS[n // 3 % 6]] + ["harbour"] * (n % 3)
        )
        make_post(title=f"{WORDS[n % 6]} report {n}", body_source=f"The {words} news {n}.",
                  labels=labels[n % 4], published_at=day)  # fmt: skip
    index()


def _search(query_string: str, page_size: int = 1000, page: int = 1) -> service.SearchPage:
    params = service.params_from(QueryDict(f"{query_string}&page={page}"))
    return service.search(params, page_size=page_size)


def _plain(query_string: str, monkeypatch) -> service.SearchPage:
    with monkeypatch.context() as plain:
        plain.setattr(base, "MATCH_WINDOW", 10**9)
        return _search(query_string)


def _ids(page: service.SearchPage) -> list[int]:
    return [result.post.pk for result in page.results]


def _month(post) -> str:
    return timezone.localtime(post.published_at).strftime("%Y-%m")


@pytest.mark.parametrize("window", WINDOWS)
@pytest.mark.parametrize("query_string", QUERIES)
def test_a_window_search_is_the_plain_search_of_its_newest_matches(
    blog, monkeypatch, query_string, window
):
    plain = _plain(query_string, monkeypatch)
    assert plain.total > 0 and not plain.more, "each case must match something"
    monkeypatch.setattr(base, "MATCH_WINDOW", window)
    found = _search(query_string)
    if plain.total <= window:  # nothing changes
        assert (found.more, _ids(found), found.total) == (False, _ids(plain), plain.total)
        assert found.month_facets == plain.month_facets
        assert found.label_facets == plain.label_facets
        return
    newest = set(sorted(_ids(plain), reverse=True)[:window])
    kept = [result.post for result in plain.results if result.post.pk in newest]
    assert found.more and found.total == window
    assert _ids(found) == [post.pk for post in kept]  # the plain ranking's order
    months = Counter(_month(post) for post in kept)
    assert [(f.month.strftime("%Y-%m"), f.count) for f in found.month_facets] == sorted(
        months.items(), reverse=True
    )
    labels = Counter(label for post in kept for label in post.labels.all())
    expected = sorted(labels.items(), key=lambda item: (-item[1], item[0].pk))
    assert found.label_facets == expected[: service.LABEL_FACETS]


@pytest.mark.parametrize("page_size", [1, 2, 4])
def test_pages_of_a_window_search_are_the_window_in_order(blog, monkeypatch, page_size):
    monkeypatch.setattr(base, "MATCH_WINDOW", 7)
    whole = _search("q=harbour")
    assert whole.more and len(whole.results) == 7
    pages = [_search("q=harbour", page_size, number) for number in range(1, 9)]
    assert [page.num_pages for page in pages] == [-(-7 // page_size)] * 8
    shown = [pk for page in pages if page.params.page <= page.num_pages for pk in _ids(page)]
    assert shown == _ids(whole)


def test_the_page_says_it_shows_the_best_of_the_newest_matches(client, blog, monkeypatch):
    monkeypatch.setattr(base, "MATCH_WINDOW", 3)
    monkeypatch.setattr(service, "LABEL_FACETS", 15)
    response = client.get("/search?q=harbour&max-results=2")
    lines = visible_lines(response.content)
    assert (
        "More than 3 posts found; the best of the newest 3 are shown; page 1 of 2. "
        "Narrow by date or label to reach older posts."
    ) in lines
    assert "By label (newest 3 matches)" in lines and "By month (newest 3 matches)" in lines
    assert len(result_titles(response)) == 2
    assert len(result_titles(client.get("/search?q=harbour&max-results=2&page=2"))) == 1
    assert client.get("/search?q=harbour&max-results=2&page=3").status_code == 404
    monkeypatch.setattr(base, "MATCH_WINDOW", 1000)
    whole = visible_lines(client.get("/search?q=harbour&max-results=3").content)  # not cached
    assert not any(line.startswith("More than") for line in whole)
    assert "By label" in whole
