"""RFC 5005: a reader or a tool walks a feed's whole history, by its paging links (§3)
or by archive pages that stay put (§4)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import etree

from dateline.comments.models import Comment
from tests.posts.feed_rules import ATOM, problems

pytestmark = pytest.mark.django_db
BASE = "http://testserver"
HISTORY = "{http://purl.org/syndication/history/1.0}"


@pytest.fixture
def history(make_post, settings):
    settings.DATELINE_FEED_SIZE = 2
    now = timezone.now()
    posts = [make_post(title=f"Post {n}", labels=("Rail",),
                       published_at=now - timedelta(days=n + 1)) for n in range(5)]  # fmt: skip
    for n in range(5):
        Comment.objects.create(post=posts[0], author_name=f"R{n}", body="Yes.",
                               status="approved", created_at=now - timedelta(hours=n))  # fmt: skip
    return posts


def fetch(client, url: str):
    """The feed's root element, its entry titles and its links by rel."""
    assert url.startswith(BASE), url
    response = client.get(url.removeprefix(BASE))
    assert response.status_code == 200, url
    assert problems(response.content, url) == [], url
    root = etree.fromstring(response.content)
    container = root.find("channel") if root.tag == "rss" else root
    titles = [node.findtext(f"{ATOM}title") or node.findtext("title")
              for node in root.iter(f"{ATOM}entry", "item")]  # fmt: skip
    links = {link.get("rel"): link.get("href") for link in container.findall(f"{ATOM}link")}
    return root, titles, links


@pytest.mark.parametrize("alt", ["", "?alt=rss"])
def test_prev_archive_links_walk_the_whole_history(client, history, alt):
    root, titles, links = fetch(client, f"{BASE}/feeds/posts/default{alt}")
    assert titles == ["Post 0", "Post 1"]
    assert root.find(f".//{HISTORY}archive") is None
    seen, url = list(titles), links["prev-archive"]
    assert url.endswith("archive=2")
    while url:
        archive, titles, links = fetch(client, url)
        assert archive.find(f".//{HISTORY}archive") is not None
        assert links["current"] == f"{BASE}/feeds/posts/default{alt}"
        seen += titles
        url = links.get("prev-archive")
    assert sorted(set(seen)) == [f"Post {n}" for n in range(5)]


def test_an_archive_page_stays_put_when_posts_are_added(client, history, make_post):
    _, before, links = fetch(client, f"{BASE}/feeds/posts/default?archive=1")
    assert before == ["Post 3", "Post 4"]
    assert links["next-archive"].endswith("archive=2") and "prev-archive" not in links
    make_post(title="Newest", labels=("Rail",), published_at=timezone.now())
    assert fetch(client, f"{BASE}/feeds/posts/default?archive=1")[1] == before
    assert fetch(client, f"{BASE}/feeds/posts/default/-/Rail?archive=1")[1] == before
    assert fetch(client, f"{BASE}/feeds/comments/default?archive=2")[1] == [
        "R1 on Post 0", "R2 on Post 0"
    ]  # fmt: skip


@pytest.mark.parametrize("alt", ["", "&alt=rss"])
def test_next_links_page_through_everything(client, history, alt):
    url, seen = f"{BASE}/feeds/posts/default?max-results=2{alt}", []
    while url:
        _, titles, links = fetch(client, url)
        assert links["first"] == f"{BASE}/feeds/posts/default?max-results=2{alt}"
        assert ("previous" in links) == bool(seen)
        seen += titles
        url = links.get("next")
    assert seen == [f"Post {n}" for n in range(5)]


@pytest.mark.parametrize(
    ("query", "status"),
    [("archive=3", 404), ("archive=0", 400), ("archive=x", 404), ("archive=1&start-index=2", 400),
     ("archive=1&orderby=updated", 400)],
)  # fmt: skip
def test_archive_pages_that_are_not_there(client, history, query, status):
    assert client.get(f"/feeds/posts/default?{query}").status_code == status
