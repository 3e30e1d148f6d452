"""The page cache stores a page only under the query it was built from: typed junk,
other spellings and ignored values are answered, never stored."""

import pytest
from django.core.cache import caches
from django.utils import timezone
from lxml import html as lxml_html

from dateline.comments.models import Comment

pytestmark = pytest.mark.django_db


def stored_pages() -> int:
    """How many pages the (per-process memory) page cache holds."""
    return sum(":page:" in key for key in caches["default"]._cache)


def status_of(client, url: str) -> str:
    return client.get(url).get("X-Dateline-Cache", "not stored")


def test_a_query_the_page_does_not_read_is_answered_without_storing(client, make_post):
    make_post(title="Only story")
    client.get("/")
    before = stored_pages()
    for n in range(50):
        response = client.get(f"/?junk={n}")
        assert response.status_code == 200 and b"Only story" in response.content
        assert response.get("X-Dateline-Cache") is None
    assert stored_pages() == before


@pytest.mark.parametrize(
    "url", ["/?page=02", "/?page=2&page=2", "/?page=2&", "/?%70age=2", "/robots.txt?v=1",
            "/feeds/posts/default?alt=rss&x=1", "/feeds/posts/default?alt=atom", "/sitemap.xml?x"],
)  # fmt: skip
def test_other_spellings_of_a_page_are_not_stored(client, make_post, settings, url):
    settings.DATELINE_PAGE_SIZE = 1
    make_post(), make_post()
    assert client.get(url).status_code == 200
    assert status_of(client, url) == "not stored"


@pytest.mark.parametrize(
    "url", ["/?page=2", "/feeds/posts/default?alt=rss", "/search?q=story",
            "/search/label/Malta?page=2", "/search?max-results=1"],
)  # fmt: skip
def test_the_pages_links_lead_to_are_stored(client, make_post, settings, url):
    settings.DATELINE_PAGE_SIZE = 1
    make_post(labels=("Malta",)), make_post(labels=("Malta",))
    assert status_of(client, url) == "miss"
    assert status_of(client, url) == "hit"


def test_the_older_posts_link_is_stored_and_other_times_are_not(client, make_post):
    make_post(), make_post(), make_post()
    first = client.get("/search?max-results=1")
    older = lxml_html.fromstring(first.content).find(".//a[@class='older']").get("href")
    assert status_of(client, older) == "miss" and status_of(client, older) == "hit"
    when = older.split("updated-max=")[1].split("&")[0]
    for other in (f"{when}&max-results=1&x=", "2030-01-01T00:00:00Z&max-results=1"):
        assert status_of(client, f"/search?updated-max={other}") == "not stored"


def test_a_reply_is_stored_only_for_a_comment_the_page_shows(client, make_post):
    post = make_post()
    comment = Comment.objects.create(post=post, author_name="Ann", body="First!",
                                     created_at=timezone.now(), status="approved")  # fmt: skip
    url = f"{post.path}?reply={comment.pk}"
    assert status_of(client, url) == "miss" and status_of(client, url) == "hit"
    assert status_of(client, f"{post.path}?reply=0{comment.pk}") == "not stored"
    for other in (comment.pk + 1, 10**12):
        response = client.get(f"{post.path}?reply={other}")
        assert response.get("X-Dateline-Cache") is None
        assert b"You are replying to comment" not in response.content
