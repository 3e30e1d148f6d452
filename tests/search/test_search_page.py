"""`/search?q=…`: ranked, highlighted, faceted, filtered, paged; hostile input is harmless."""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from tests.pages import assert_valid_html5, visible_lines
from tests.search.conftest import result_titles

pytestmark = pytest.mark.django_db

HOSTILE = [
    '"', "*", "NEAR(", "NEAR(a b, 2)", "' OR 1=1--", "x" * 10_240, "\x00\x01\x1b[2J\x7f",
    "-", "--", "((", "(a OR b", ")", "AND OR NOT", "a:b", "^x", '""', "*bagh", "日本*",
    "%", "_", "\\", "'; DROP TABLE posts_post; --", "<script>alert(1)</script>",
]  # fmt: skip


def at(year: int, month: int, day: int = 1) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def texts(response, xpath: str) -> list[str]:
    tree = lxml_html.fromstring(response.content)
    return [" ".join(el.text_content().split()) for el in tree.xpath(xpath)]


@pytest.fixture
def blog(make_post, index):
    make_post(
        title="Harbour closed",
        body_source="Ferries wait.",
        labels=("Malta",),
        published_at=at(2024, 5, 2),
    )
    make_post(
        title="Storm report",
        body_source="The harbour closed after the storm.",
        labels=("Malta", "Weather"),
        published_at=at(2024, 6, 3),
    )
    make_post(
        title="Baghdad talks",
        body_source="Envoys met in Baghdad.",
        labels=("Iraq",),
        published_at=at(2023, 1, 9),
    )
    make_post(
        title="Closed harbour gates",
        body_source="Harbour gates were closed.",
        labels=("Weather",),
        published_at=at(2023, 2, 1),
    )
    index()


def test_results_are_ranked_with_title_matches_first(client, blog):
    titles = result_titles(client.get("/search?q=harbour"))
    assert set(titles) == {"Harbour closed", "Storm report", "Closed harbour gates"}
    assert titles[-1] == "Storm report"  # the only one without the word in its title


def test_snippets_highlight_matches_and_escape_everything_else(client, make_post, index):
    make_post(title="Markup", body_source="A `<script>` tag & a harbour <b>bold</b> claim.")
    index()
    response = client.get("/search?q=harbour")
    snippet = lxml_html.fromstring(response.content).find(".//p[@class='search-snippet']")
    assert [mark.text for mark in snippet.findall("mark")] == ["harbour"]
    assert [child.tag for child in snippet] == ["mark"]  # nothing but our own markup
    assert "script>" in snippet.text_content()  # shown as text, not markup
    assert_valid_html5(response.content)


def test_phrases_match_words_in_order_and_prefixes_match_beginnings(client, blog):
    assert set(result_titles(client.get('/search?q="harbour+closed"'))) == {
        "Harbour closed",
        "Storm report",
    }
    assert set(result_titles(client.get("/search?q=harbour+closed"))) == {
        "Harbour closed",
        "Storm report",
        "Closed harbour gates",
    }
    assert result_titles(client.get("/search?q=bagh*")) == ["Baghdad talks"]
    assert result_titles(client.get("/search?q=bagh")) == []


def test_the_page_says_which_prefixes_it_did_not_search_as_typed(client, blog):
    response = client.get("/search?q=ba*+harb*+clos*+gat*")
    lines = visible_lines(response.content)
    assert "Searched as whole words (a word start needs 3 letters before the *): “ba*”." in lines
    assert "Left out (at most 2 word starts are searched at once): “gat*”." in lines
    assert set(result_titles(response)) == set()  # "ba" is no word of these posts
    both = client.get("/search?q=harb*+clos*+gat*")
    assert set(result_titles(both)) == {"Harbour closed", "Storm report", "Closed harbour gates"}
    assert_valid_html5(both.content)


def test_facets_count_matches_by_label_and_by_month(client, blog):
    response = client.get("/search?q=harbour")
    assert texts(response, "//ul[@class='facet-labels']/li") == [
        "Malta (2)",
        "Weather (2)",
    ]
    assert texts(response, "//ul[@class='facet-months']/li") == [
        "June 2024 (1)",
        "May 2024 (1)",
        "February 2023 (1)",
    ]
    assert "3 posts found." in visible_lines(response.content)


def test_label_filters_are_repeatable_and_all_must_match(client, blog):
    assert set(result_titles(client.get("/search?q=harbour&label=Malta"))) == {
        "Harbour closed",
        "Storm report",
    }
    both = client.get("/search?q=harbour&label=malta&label=Weather")
    assert result_titles(both) == ["Storm report"]
    response = client.get("/search?q=harbour&label=Nowhere")
    assert response.status_code == 200 and result_titles(response) == []
    assert "There is no label named “Nowhere”." in " ".join(visible_lines(response.content)) or (
        "Nowhere" in response.content.decode()
    )


def test_date_range_is_inclusive_and_bad_dates_are_ignored(client, blog):
    url = "/search?q=harbour&from=2024-05-02&to=2024-06-03"
    assert set(result_titles(client.get(url))) == {"Harbour closed", "Storm report"}
    assert result_titles(client.get("/search?q=harbour&to=2023-12-31")) == ["Closed harbour gates"]
    reversed_range = client.get("/search?q=harbour&from=2024-06-30&to=2024-06-01")
    assert result_titles(reversed_range) == ["Storm report"]
    for bad in [
        "from=yesterday",
        "to=2024-13-45",
        "from=9999-12-31&to=9999-12-31",
        "to=0001-01-01",
    ]:
        assert client.get(f"/search?q=harbour&{bad}").status_code == 200, bad


def test_month_facet_links_narrow_to_that_month(client, blog):
    tree = lxml_html.fromstring(client.get("/search?q=harbour").content)
    june = tree.xpath("//ul[@class='facet-months']/li/a")[0].get("href")
    assert "from=2024-06-01" in june and "to=2024-06-30" in june
    assert result_titles(client.get("/search" + june)) == ["Storm report"]


def test_results_are_paged_and_keep_the_query(client, make_post, index, settings):
    settings.DATELINE_PAGE_SIZE = 2
    for day in range(1, 6):
        make_post(title=f"Ferry {day}", body_source="ferry", published_at=at(2024, 3, day))
    index()
    first = client.get("/search?q=ferry&label=")
    assert len(result_titles(first)) == 2
    more = lxml_html.fromstring(first.content).find(".//nav[@class='pager']/a[@class='older']")
    assert "q=ferry" in more.get("href") and "page=2" in more.get("href")
    pages = [result_titles(client.get(f"/search?q=ferry&page={n}")) for n in (1, 2, 3)]
    assert sorted(title for page in pages for title in page) == [
        f"Ferry {day}" for day in range(1, 6)
    ]
    assert client.get("/search?q=ferry&page=4").status_code == 404
    assert client.get("/search?q=ferry&page=abc").status_code == 200


def test_no_results_page_says_so_and_suggests_labels_named_like_the_query(client, blog):
    response = client.get("/search?q=weather+forecast+zzz")
    assert response.status_code == 200 and result_titles(response) == []
    lines = visible_lines(response.content)
    assert "No posts match “weather forecast zzz”." in " ".join(lines) or any(
        line.startswith("No posts match") for line in lines
    )
    assert texts(response, "//ul[@class='suggested-labels']/li") == ["Weather (2)"]
    nothing_alike = client.get("/search?q=qqqq")
    assert len(texts(nothing_alike, "//ul[@class='suggested-labels']/li")) == 3


def test_searches_that_find_nothing_count_label_posts_once_per_content_version(
    client, blog, make_post, index
):
    """Counting every label's posts costs seconds on a big blog; the suggestions reuse it."""

    def label_counts_run(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert texts(response, "//ul[@class='suggested-labels']/li")
        return sum("COUNT(" in q["sql"] and "posts_post_labels" in q["sql"]
                   for q in queries.captured_queries)  # fmt: skip

    assert label_counts_run("/search?q=zzzz") > 0
    assert label_counts_run("/search?q=qqqq") == 0
    make_post(title="Fresh", labels=("Weather",))
    index()
    assert label_counts_run("/search?q=weather+wwww") > 0
    response = client.get("/search?q=weather+yyyy")
    assert texts(response, "//ul[@class='suggested-labels']/li") == ["Weather (3)"]


def test_scheduled_and_draft_posts_never_show(client, make_post, index):
    make_post(title="Harbour soon", published_at=datetime(2999, 1, 1, tzinfo=UTC))
    make_post(title="Harbour draft", status="draft")
    index()
    assert result_titles(client.get("/search?q=harbour")) == []


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_get_a_normal_page(client, blog, query):
    response = client.get("/search", {"q": query})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content
    assert_valid_html5(response.content)


def test_hostile_queries_with_filters_and_pages_get_a_normal_page(client, blog):
    for query in HOSTILE:
        response = client.get("/search", {"q": query, "label": ["Malta", query], "page": "2"})
        assert response.status_code in (200, 404), query


def test_query_count_does_not_grow_with_the_page_size(client, make_post, index, settings):
    for day in range(1, 25):
        make_post(title=f"Ferry {day}", body_source="ferry harbour",
                  labels=("Malta", f"Port {day}"), source_url="https://news.example/a",
                  published_at=at(2024, 1 + day % 12, day))  # fmt: skip
    index()
    counts = []
    for size in (2, 20):
        settings.DATELINE_PAGE_SIZE = size
        cache.clear()  # each measurement builds the sidebar, as after a content change
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/search?q=ferry&label=Malta")
        assert len(result_titles(response)) == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_without_a_query_blogger_updated_max_paging_still_works(client, blog):
    response = client.get("/search?updated-max=2024-01-01T00:00:00Z&max-results=1")
    tree = lxml_html.fromstring(response.content)
    assert [a.text for a in tree.findall(".//h2[@class='post-title']/a")] == [
        "Closed harbour gates"
    ]
    older = tree.find(".//a[@class='older']").get("href")
    assert older.startswith("/search?updated-max=2023-02-01")
