"""Every feed parses cleanly in Atom and RSS, carries full content, and never a control char."""

import feedparser
import pytest
from lxml import html as lxml_html

from dateline.comments.models import Comment

pytestmark = pytest.mark.django_db


def parse(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, f"{url}: {feed.get('bozo_exception')}"
    return response, feed


@pytest.fixture
def blog(make_post):
    iran = make_post(
        title="Talks in Baghdad \x01resume\x0b",
        labels=("Iran", "Iraq"),
        body_source="Envoys met \x1b again.\n\n## Next round\n\nIn June.",
    )
    make_post(title="Quiet week", labels=("Malta",))
    Comment.objects.create(
        post=iran,
        author_name="Reader\x02",
        body="Good \x07summary",
        created_at=iran.published_at,
        status="approved",
    )
    Comment.objects.create(
        post=iran,
        author_name="Pending",
        body="Not yet",
        created_at=iran.published_at,
        status="pending",
    )
    return iran


FEEDS = [
    "/feeds/posts/default",
    "/feeds/posts/default/-/Iran",
    "/feeds/posts/default/-/Iran+Iraq",
    "/feeds/comments/default",
]


@pytest.mark.parametrize("url", FEEDS)
@pytest.mark.parametrize("alt", ["", "?alt=rss"])
def test_feeds_parse_without_errors(client, blog, url, alt):
    response, feed = parse(client, url + alt)
    expected_version = "rss20" if alt else "atom10"
    assert feed.version == expected_version
    assert feed.entries
    assert not any(chr(c) in response.content.decode() for c in range(1, 9))


def test_post_comments_feed(client, blog):
    for alt in ("", "?alt=rss"):
        _, feed = parse(client, f"/feeds/{blog.pk}/comments/default{alt}")
        assert [entry.author for entry in feed.entries] == ["Reader"]
        assert "Good summary" in feed.entries[0].summary
    assert client.get("/feeds/999999/comments/default").status_code == 404


def test_posts_feed_has_full_content_labels_and_newest_first(client, blog):
    _, feed = parse(client, "/feeds/posts/default")
    assert [entry.title for entry in feed.entries] == ["Talks in Baghdad resume", "Quiet week"]
    first = feed.entries[0]
    assert "<h2>Next round</h2>" in first.summary
    assert {tag.term for tag in first.tags} == {"Iran", "Iraq"}
    assert first.link.endswith(blog.path)


def test_label_feed_holds_only_that_label(client, blog):
    _, feed = parse(client, "/feeds/posts/default/-/malta")
    assert [entry.title for entry in feed.entries] == ["Quiet week"]
    assert client.get("/feeds/posts/default/-/Nowhere").status_code == 404


def test_pages_advertise_their_feeds(client, blog):
    home = lxml_html.fromstring(client.get("/").content)
    hrefs = {link.get("href") for link in home.findall(".//link[@rel='alternate']")}
    assert {"/feeds/posts/default", "/feeds/posts/default?alt=rss"} <= hrefs
    post_page = lxml_html.fromstring(client.get(blog.path).content)
    post_hrefs = {link.get("href") for link in post_page.findall(".//link[@rel='alternate']")}
    assert f"/feeds/{blog.pk}/comments/default" in post_hrefs
    label_page = lxml_html.fromstring(client.get("/search/label/Iran").content)
    label_hrefs = {link.get("href") for link in label_page.findall(".//link[@rel='alternate']")}
    assert "/feeds/posts/default/-/Iran" in label_hrefs
