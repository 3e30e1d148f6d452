"""JSON Feed 1.1 (issue 19): `/feed.json` and `alt=jsonfeed` on every feed, announced on
every page, each item's `external_url` the Source. feedparser reads no JSON Feed, so
`jsonfeed_problems` reads it as the spec (jsonfeed.org/version/1.1) writes it down."""

import json
from datetime import datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from lxml import html as lxml_html

from dateline.comments.models import Comment
from dateline.core.text import strip_control_chars
from dateline.posts.models import Post
from tests.conftest import png_bytes
from tests.posts.feed_rules import TAG_URI, is_absolute

pytestmark = pytest.mark.django_db
BASE = "http://testserver"
TYPE = "application/feed+json; charset=utf-8"


def jsonfeed_problems(feed: dict) -> list[str]:
    """The JSON Feed 1.1 rules `feed` breaks ([]: none)."""
    found = []
    if feed.get("version") != "https://jsonfeed.org/version/1.1":
        found.append("version is not JSON Feed 1.1")
    if not isinstance(feed.get("title"), str):
        found.append("no title")
    for name in ("home_page_url", "feed_url", "next_url"):
        if name in feed and not is_absolute(feed[name]):
            found.append(f"{name} is not an absolute URL")
    for author in feed.get("authors", []):
        if not author.get("name"):
            found.append("an author without a name")
    if not isinstance(feed.get("items"), list):
        return [*found, "no items array"]
    ids = set()
    for n, item in enumerate(feed["items"]):
        if not isinstance(item.get("id"), str) or not TAG_URI.fullmatch(item["id"]):
            found.append(f"item {n}: id is not a tag URI string")
        if item.get("id") in ids:
            found.append(f"item {n}: id used twice")
        ids.add(item.get("id"))
        if "content_html" not in item and "content_text" not in item:
            found.append(f"item {n}: neither content_html nor content_text")
        for name in ("url", "external_url", "image"):
            if name in item and not is_absolute(item[name]):
                found.append(f"item {n}: {name} is not an absolute URL")
        for name in ("date_published", "date_modified"):
            if name in item:
                datetime.fromisoformat(item[name])  # RFC 3339 (raises otherwise)
        if not all(isinstance(tag, str) for tag in item.get("tags", [])):
            found.append(f"item {n}: a tag that is not a string")
    return found


def read(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == TYPE
    feed = json.loads(response.content)
    assert jsonfeed_problems(feed) == [], url
    return feed


@pytest.fixture
def clipped(make_post):
    post = make_post(title="Dykes hold", labels=("Netherlands",), body_source="The **dykes**.",
                     source_url="https://news.example/dykes")  # fmt: skip
    post.lead_image.save("lead.png", ContentFile(png_bytes()), save=True)
    make_post(title="Older", labels=("Netherlands", "Sea"))
    Comment.objects.create(post=post, author_name="Reader", body="Yes.", status="approved",
                           created_at=post.published_at + timedelta(hours=1))  # fmt: skip
    return post


def test_feed_json_is_the_posts_feed(client, clipped):
    feed = read(client, "/feed.json")
    assert feed["home_page_url"] == f"{BASE}/" and feed["feed_url"] == f"{BASE}/feed.json"
    assert [item["title"] for item in feed["items"]] == ["Dykes hold", "Older"]
    first = feed["items"][0]
    assert first["external_url"] == "https://news.example/dykes"
    assert first["url"] == BASE + clipped.path
    assert "<strong>dykes</strong>" in first["content_html"]
    assert first["image"] == BASE + clipped.lead_image.url
    assert first["tags"] == ["Netherlands"] and first["authors"] == [{"name": "Dateline"}]
    assert "external_url" not in feed["items"][1]
    same = read(client, "/feeds/posts/default?alt=jsonfeed")
    assert same["items"] == feed["items"]


def test_every_feed_speaks_json_feed(client, clipped):
    urls = ["/feeds/posts/default/-/Netherlands", "/feeds/posts/default/-/Netherlands+Sea",
            "/feeds/comments/default", f"/feeds/{clipped.pk}/comments/default",
            f"/feeds/posts/default/{clipped.pk}", "/feeds/posts/summary"]  # fmt: skip
    for url in urls:
        assert read(client, f"{url}?alt=jsonfeed")["items"], url
    summary = read(client, "/feeds/posts/summary?alt=jsonfeed")["items"][0]
    assert summary["content_text"] == summary["summary"] == "The dykes."


def test_json_feed_pages_with_next_url(client, clipped):
    feed = read(client, "/feed.json?max-results=1")
    assert [item["title"] for item in feed["items"]] == ["Dykes hold"]
    assert feed["next_url"] == f"{BASE}/feed.json?max-results=1&start-index=2"
    last = read(client, "/feed.json?max-results=1&start-index=2")
    assert [item["title"] for item in last["items"]] == ["Older"] and "next_url" not in last


def test_control_characters_and_hostile_text_stay_json(client, clipped):
    Post.objects.filter(pk=clipped.pk).update(title="</script>\x01\u2028 «x»")
    item = read(client, "/feed.json")["items"][0]
    assert strip_control_chars(item["title"]) == "</script>\u2028 «x»"


def test_every_page_announces_the_json_feed(client, clipped):
    for url in ("/", clipped.path, "/search/label/Netherlands", "/search?q=dykes"):
        page = lxml_html.fromstring(client.get(url).content)
        found = page.xpath("//link[@rel='alternate'][@type='application/feed+json']/@href")
        assert found == ["/feed.json"], url
