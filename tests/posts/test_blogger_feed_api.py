"""Blogger's feed API as old readers, widgets and scripts call it (issue 19): summary
feeds, one entry by id, max-results, start-index, orderby, published-/updated-min/max,
alt=rss, alt=json and alt=json-in-script; hostile values are a 400 or a 404."""

import json
from datetime import timedelta

import feedparser
import pytest
from django.urls import resolve
from django.utils import timezone
from lxml import etree

from dateline.comments.models import Comment
from dateline.core.pagequery import built_from_query
from dateline.posts.models import Post
from tests.posts.feed_rules import ATOM, problems

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


@pytest.fixture
def posts(make_post):
    """Five posts a day apart, newest first; the oldest edited last; two comments."""
    now = timezone.now()
    made = [make_post(title=f"Post {n}", labels=("Rail",) if n % 2 else ("Rail", "Sea"),
                      body_source=" ".join(f"word{w}" for w in range(100)),
                      published_at=now - timedelta(days=n + 1)) for n in range(5)]  # fmt: skip
    for post in made:  # written long ago, as they were published
        Post.objects.filter(pk=post.pk).update(updated_at=post.published_at)
    Post.objects.filter(pk=made[4].pk).update(updated_at=now - timedelta(minutes=5))
    for n, post in enumerate(made[:2]):
        Comment.objects.create(post=post, author_name=f"Reader {n}", body="Yes.",
                               status="approved", created_at=now - timedelta(hours=n))  # fmt: skip
    return made


def titles(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert problems(response.content, BASE + url) == [], url
    parsed = feedparser.parse(response.content)
    return [entry.title for entry in parsed.entries]


def gdata(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/json; charset=UTF-8"
    document = json.loads(response.content)
    assert (document["version"], document["encoding"]) == ("1.0", "UTF-8")
    return document


@pytest.mark.parametrize("alt", ["", "?alt=rss"])
def test_summary_feeds_carry_plain_text_summaries(client, posts, alt):
    urls = ["/feeds/posts/summary", "/feeds/posts/summary/-/Sea", "/feeds/comments/summary",
            f"/feeds/{posts[0].pk}/comments/summary"]  # fmt: skip
    for url in urls:
        assert titles(client, url + alt), url
    body = client.get("/feeds/posts/summary" + alt).content
    root = etree.fromstring(body)
    if alt:
        description = root.findtext("channel/item/description")
        assert description.startswith("word0 word1") and description.endswith("…")
        assert "<p>" not in description
    else:
        entry = root.find(f"{ATOM}entry")
        assert entry.find(f"{ATOM}content") is None
        assert entry.find(f"{ATOM}summary").get("type") == "text"
        assert len(entry.findtext(f"{ATOM}summary").split()) == 61  # 60 words and "…"


def test_one_entry_by_its_id(client, posts):
    post = posts[1]
    for projection in ("default", "summary"):
        response = client.get(f"/feeds/posts/{projection}/{post.pk}")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/atom+xml; type=entry; charset=utf-8"
        entry = etree.fromstring(response.content)
        assert entry.tag == f"{ATOM}entry"
        assert entry.findtext(f"{ATOM}title") == "Post 1"
        # An entry document has no feed author to fall back on: the entry names one
        # (RFC 4287; the W3C feed validator's MissingElement, bench/feedvalidator.py).
        assert entry.findtext(f"{ATOM}author/{ATOM}name")
        assert feedparser.parse(response.content).entries[0].title == "Post 1"
    assert titles(client, f"/feeds/posts/default/{post.pk}?alt=rss") == ["Post 1"]
    entry = gdata(client, f"/feeds/posts/default/{post.pk}?alt=json")["entry"]
    assert entry["title"]["$t"] == "Post 1" and "word99" in entry["content"]["$t"]
    draft = Post.objects.create(title="Draft", status=Post.Status.DRAFT)
    page = Post.objects.create(title="About", kind=Post.Kind.PAGE, status="published")
    for pk in (draft.pk, page.pk, 999999):
        assert client.get(f"/feeds/posts/default/{pk}").status_code == 404


def test_max_results_and_start_index_page_through_the_feed(client, posts):
    every = [f"Post {n}" for n in range(5)]
    assert titles(client, "/feeds/posts/default?max-results=2") == every[:2]
    assert titles(client, "/feeds/posts/default?max-results=2&start-index=3") == every[2:4]
    assert titles(client, "/feeds/posts/default?start-index=5&alt=rss") == every[4:]
    assert titles(client, "/feeds/posts/default?start-index=9") == []
    assert titles(client, "/feeds/posts/default?max-results=0") == []
    assert titles(client, "/feeds/posts/default?max-results=999999") == every
    assert titles(client, "/feeds/comments/default?max-results=1&start-index=2") == [
        "Reader 1 on Post 1"
    ]


def test_orderby_updated_and_the_date_bounds(client, posts):
    assert titles(client, "/feeds/posts/default?orderby=updated")[0] == "Post 4"
    day = posts[2].published_at
    since = f"?published-min={day.isoformat()}".replace("+", "%2B")
    assert titles(client, "/feeds/posts/default" + since) == ["Post 0", "Post 1", "Post 2"]
    before = f"?published-max={day.isoformat()}".replace("+", "%2B")
    assert titles(client, "/feeds/posts/default/-/Rail" + before) == ["Post 3", "Post 4"]
    # An unencoded "+hh:mm" arrives as a space: read as the offset it was.
    edited = (timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    assert titles(client, f"/feeds/posts/default?updated-min={edited}") == ["Post 4"]
    assert titles(client, f"/feeds/posts/default?updated-max={edited}&max-results=9") == [
        f"Post {n}" for n in range(4)
    ]
    hour = (timezone.now() - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert titles(client, f"/feeds/comments/default?published-min={hour}") == ["Reader 0 on Post 0"]


def test_alt_json_is_bloggers_gdata_shape(client, posts):
    document = gdata(client, "/feeds/posts/default/-/Sea?alt=json&max-results=2")
    feed = document["feed"]
    assert feed["xmlns"] == "http://www.w3.org/2005/Atom"
    assert feed["title"]["$t"] == "Dateline: Sea"
    assert feed["openSearch$totalResults"]["$t"] == "3"
    assert feed["openSearch$startIndex"]["$t"] == "1"
    assert feed["openSearch$itemsPerPage"]["$t"] == "2"
    first = feed["entry"][0]
    assert first["title"]["$t"] == "Post 0"
    assert first["id"]["$t"].startswith("tag:testserver,")
    assert [c["term"] for c in first["category"]] == ["Rail", "Sea"]
    [alternate] = [link for link in first["link"] if link["rel"] == "alternate"]
    assert alternate["href"] == BASE + posts[0].path
    assert first["author"][0]["name"]["$t"] == "Dateline"
    assert "word0" in first["content"]["$t"]
    summary = gdata(client, "/feeds/posts/summary?alt=json")["feed"]["entry"][0]
    assert "content" not in summary and summary["summary"]["$t"].startswith("word0")
    counted = gdata(client, "/feeds/posts/default?alt=json&max-results=0")["feed"]
    assert "entry" not in counted and counted["openSearch$totalResults"]["$t"] == "5"
    comments = gdata(client, f"/feeds/{posts[0].pk}/comments/default?alt=json")["feed"]
    assert [e["author"][0]["name"]["$t"] for e in comments["entry"]] == ["Reader 0"]


def test_alt_json_in_script_calls_the_callback(client, posts):
    Post.objects.filter(pk=posts[0].pk).update(title="</script><b>&")
    response = client.get("/feeds/posts/default?alt=json-in-script&callback=Widget.show_1")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=UTF-8"
    body = response.content.decode()
    assert body.startswith("// API callback\nWidget.show_1(") and body.endswith(");")
    assert "<" not in body and ">" not in body.removeprefix("// API callback\n")
    document = json.loads(body.removeprefix("// API callback\nWidget.show_1(")[:-2])
    assert document["feed"]["entry"][0]["title"]["$t"] == "</script><b>&"


@pytest.mark.parametrize(
    "query",
    ["alt=json-in-script", "alt=json-in-script&callback=", "alt=json-in-script&callback=a(1)",
     "alt=json-in-script&callback=a%20b", "alt=json-in-script&callback=1a",
     "alt=json-in-script&callback=" + "a" * 101, "alt=json-in-script&callback=f%C3%A9",
     "alt=json-in-script&callback=a..b", "alt=xml", "alt=", "orderby=title",
     "start-index=0"],
)  # fmt: skip
def test_values_no_feed_understands_are_a_400_saying_why(client, posts, query):
    response = client.get(f"/feeds/posts/default?{query}")
    assert response.status_code == 400, query
    assert b"is one of" in response.content or b"number" in response.content or (
        b"callback" in response.content)  # fmt: skip


@pytest.mark.parametrize(
    "query",
    ["max-results=x", "max-results=-1", "max-results=" + "9" * 30, "start-index=" + "9" * 30,
     "start-index=-1", "published-min=yesterday", "updated-max=2024-02-30T00:00:00",
     "published-max=%00"],
)  # fmt: skip
def test_numbers_and_dates_out_of_range_are_a_404(client, posts, query):
    for url in ("/feeds/posts/default", "/feeds/comments/default"):
        assert client.get(f"{url}?{query}").status_code == 404, query


def built_from(rf, url: str) -> bool:
    """Whether the page cache would store the answer to `url` (core.pagequery)."""
    request = rf.get(url)
    match = resolve(request.path_info)
    assert match.func(request, *match.args, **match.kwargs).status_code == 200
    return built_from_query(request)


def test_only_well_spelled_questions_are_cached(rf, posts):
    stored = ["/feeds/posts/default?alt=json&max-results=3&start-index=2",
              "/feeds/posts/summary?alt=json-in-script&callback=f&orderby=updated",
              "/feeds/comments/default?alt=rss&max-results=500"]  # fmt: skip
    for url in stored:
        assert built_from(rf, url), url
    answered = ["/feeds/posts/default?max-results=501", "/feeds/posts/default?max-results=02",
                "/feeds/posts/default?start-index=01", "/feeds/posts/default?junk=1",
                "/feeds/posts/default?callback=f"]  # fmt: skip
    for url in answered:
        assert not built_from(rf, url), url
