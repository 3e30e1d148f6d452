"""Every public page: valid HTML5, one h1, security headers, and a query count that does not
grow with the number of posts shown."""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dateline.comments.models import Comment
from dateline.posts.models import Label
from tests.pages import assert_valid_html5, h1_count

pytestmark = pytest.mark.django_db

HTML_PAGES = [
    "/",
    "/search/label/Malta",
    "/2024/",
    "/2024/05/",
    "/search?q=story",
    "/search?updated-max=2025-01-01T00:00:00Z&max-results=50",
]
FEEDS = [
    "/feeds/posts/default",
    "/feeds/posts/default/-/Malta",
    "/feeds/comments/default",
    "/sitemap.xml",
]


def build_blog(make_post, count: int) -> list:
    posts = []
    for day in range(1, count + 1):
        post = make_post(
            labels=("Malta", "Italy"),
            published_at=datetime(2024, 5, day, 9, tzinfo=UTC),
            source_url="https://news.example/a",
        )
        Comment.objects.create(
            post=post,
            author_name="R",
            body="Noted.",
            status="approved",
            created_at=post.published_at,
        )
        posts.append(post)
    return posts


def queries_for(client, url: str) -> int:
    """Queries for one cold request (the sidebar is built, as after any content change)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("url", HTML_PAGES + FEEDS)
def test_query_count_does_not_grow_with_posts_shown(client, make_post, settings, url):
    settings.DATELINE_PAGE_SIZE = 50
    settings.DATELINE_FEED_SIZE = 50
    build_blog(make_post, 3)
    few = queries_for(client, url)
    for day in range(4, 25):
        make_post(
            labels=("Malta", "Italy"),
            published_at=datetime(2024, 5, day, 9, tzinfo=UTC),
            source_url="https://news.example/b",
        )
    many = queries_for(client, url)
    assert few == many, f"{url}: {few} queries for 3 posts, {many} for 24"


def test_post_page_query_count_does_not_grow_with_comments_or_labels(client, make_post):
    post = make_post(labels=("Malta",), source_url="https://news.example/a")
    Comment.objects.create(
        post=post, author_name="R", body="One", status="approved", created_at=post.published_at
    )
    few = queries_for(client, post.path)
    for n in range(20):
        Comment.objects.create(
            post=post,
            author_name="R",
            body=f"More {n}",
            status="approved",
            created_at=post.published_at,
        )
    post.labels.add(*[Label.objects.create(name=f"Label {n}") for n in range(5)])
    assert queries_for(client, post.path) == few


@pytest.mark.parametrize("url", HTML_PAGES)
def test_pages_are_valid_html5_with_one_h1(client, make_post, url):
    build_blog(make_post, 3)
    response = client.get(url)
    assert_valid_html5(response.content)
    assert h1_count(response.content) == 1


def test_not_found_page_is_a_real_page(client, db):
    response = client.get("/2024/01/missing.html")
    assert response.status_code == 404
    assert_valid_html5(response.content)
    assert b"does not exist" in response.content and b"&lt;&lt; Home" in response.content


def test_security_headers_on_every_page(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
