"""What the W3C feed validator reported against the demo, and what the feeds must carry
(issue 19): tag URIs that never change, `updated` on every entry, a feed-level author,
rel="self" naming the address asked, combined-label feeds of their own, the body in
<content>, the lead image and the Source."""

from datetime import timedelta

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from lxml import etree

from dateline.comments.models import Comment
from dateline.people.models import Profile
from dateline.posts.models import Post, Source
from tests.conftest import png_bytes
from tests.posts.feed_rules import ATOM, TAG_URI, problems

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


def feed(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    assert problems(response.content, BASE + url) == [], url
    return etree.fromstring(response.content)


@pytest.fixture
def clipped(make_post):
    """A clipped post with its lead image, its Source and an approved comment."""
    author = get_user_model().objects.create_user("login-name-7", first_name="Ada")
    Profile.objects.update_or_create(user=author, defaults={"display_name": "Ada Desk"})
    post = make_post(title="Dykes hold", labels=("Netherlands", "Germany"), author=author,
                     body_source="The **dykes** held.", lead_image_caption="The dyke at dawn",
                     source_url="https://news.example/dykes?id=1&x=2")  # fmt: skip
    post.lead_image.save("lead.png", ContentFile(png_bytes()), save=True)
    make_post(title="Only Germany", labels=("Germany",))
    Comment.objects.create(post=post, author_name="Reader", body="Good.", status="approved",
                           created_at=post.published_at + timedelta(hours=1))  # fmt: skip
    return post


ALL_FEEDS = ["/feeds/posts/default", "/feeds/posts/default/-/Germany",
             "/feeds/posts/default/-/Germany+Netherlands", "/feeds/comments/default"]  # fmt: skip


def every_feed(post: Post) -> list[str]:
    urls = [*ALL_FEEDS, f"/feeds/{post.pk}/comments/default"]
    return urls + [f"{url}?alt=rss" for url in urls]


def test_every_feed_keeps_every_rule(client, clipped):
    for url in every_feed(clipped):
        feed(client, url)


def test_entry_ids_are_tag_uris_dated_by_creation_that_edits_do_not_change(client, clipped):
    def ids() -> dict[str, str]:
        found = {}
        for url in ("/feeds/posts/default", "/feeds/comments/default"):
            root = feed(client, url)
            found.update((e.findtext(f"{ATOM}title"), e.findtext(f"{ATOM}id"))
                         for e in root.iter(f"{ATOM}entry"))  # fmt: skip
        return found

    before = ids()
    assert all(TAG_URI.fullmatch(value) for value in before.values())
    created = f"{clipped.created_at:%Y-%m-%d}"
    assert before["Dykes hold"] == f"tag:testserver,{created}:post-{clipped.pk}"
    clipped.title, clipped.published_at = "Dykes hold", clipped.published_at - timedelta(days=400)
    clipped.save()
    assert ids() == before
    rss = client.get("/feeds/posts/default?alt=rss").content
    assert f"tag:testserver,{created}:post-{clipped.pk}</guid>".encode() in rss


def test_comment_entries_carry_updated_and_every_feed_an_author(client, clipped):
    for url in [*ALL_FEEDS, f"/feeds/{clipped.pk}/comments/default"]:
        root = feed(client, url)
        assert root.findtext(f"{ATOM}author/{ATOM}name") == "Dateline", url
        for entry in root.iter(f"{ATOM}entry"):
            assert entry.findtext(f"{ATOM}updated"), url


def test_rel_self_names_the_address_asked_rss_included(client, clipped):
    for url in every_feed(clipped):
        root = etree.fromstring(client.get(url).content)
        selves = [link.get("href") for link in root.iter(f"{ATOM}link")
                  if link.get("rel") == "self"]  # fmt: skip
        assert selves == [BASE + url]


def test_a_combined_label_feed_has_its_own_id_and_page(client, clipped):
    ids, alternates = set(), set()
    for url in [*ALL_FEEDS, f"/feeds/{clipped.pk}/comments/default"]:
        root = feed(client, url)
        ids.add(root.findtext(f"{ATOM}id"))
        alternates.update(link.get("href") for link in root.findall(f"{ATOM}link")
                          if link.get("rel") == "alternate")  # fmt: skip
    assert len(ids) == 5  # no two feeds share an id
    combined = feed(client, "/feeds/posts/default/-/Germany+Netherlands")
    assert combined.findtext(f"{ATOM}id") == f"{BASE}/feeds/posts/default/-/Germany+Netherlands"
    assert f"{BASE}/search/label/Germany+Netherlands" in alternates
    assert client.get("/search/label/Germany+Netherlands").status_code == 200


def test_posts_carry_content_and_the_authors_display_name(client, clipped):
    entry = feed(client, "/feeds/posts/default").find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}summary") is None
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html" and "<strong>dykes</strong>" in content.text
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Ada Desk"
    rss = feedparser.parse(client.get("/feeds/posts/default?alt=rss").content)
    assert rss.entries[0].author == "Ada Desk"
    assert b"login-name-7" not in client.get("/feeds/posts/default?alt=rss").content


def test_the_lead_image_is_an_enclosure_with_its_length_and_type(client, clipped):
    size = clipped.lead_image.size
    url = BASE + clipped.lead_image.url
    entry = feed(client, "/feeds/posts/default").find(f"{ATOM}entry")
    [image] = [link for link in entry.findall(f"{ATOM}link") if link.get("rel") == "enclosure"]
    assert (image.get("href"), image.get("length"), image.get("type")) == (
        url, str(size), "image/png")  # fmt: skip
    assert image.get("title") == "The dyke at dawn"
    item = feed(client, "/feeds/posts/default?alt=rss").find("channel/item")
    enclosure = item.find("enclosure")
    assert (enclosure.get("url"), enclosure.get("length"), enclosure.get("type")) == (
        url, str(size), "image/png")  # fmt: skip
    assert client.get(clipped.lead_image.url).status_code == 200


def test_a_lead_image_whose_file_is_gone_is_left_out(client, clipped):
    clipped.lead_image.storage.delete(clipped.lead_image.name)
    for url in ("/feeds/posts/default", "/feeds/posts/default?alt=rss"):
        assert b"enclosure" not in client.get(url).content
        feed(client, url)


def test_the_source_is_a_related_link_in_atom_and_a_line_in_rss(client, clipped):
    entry = feed(client, "/feeds/posts/default").find(f"{ATOM}entry")
    [source] = [link for link in entry.findall(f"{ATOM}link") if link.get("rel") == "related"]
    assert source.get("href") == "https://news.example/dykes?id=1&x=2"
    assert source.get("title") == "news.example"
    item = feed(client, "/feeds/posts/default?alt=rss").find("channel/item")
    # RSS's <source> names the RSS channel an item came from: a web page is not one.
    assert item.find("source") is None
    assert (
        '<p>Source: <a href="https://news.example/dykes?id=1&amp;x=2">news.example</a></p>'
        in item.findtext("description")
    )


def test_a_source_unsafe_to_link_is_not_linked(client, clipped):
    Source.objects.filter(pk=clipped.source_id).update(url="javascript:alert(1)")
    for url in ("/feeds/posts/default", "/feeds/posts/default?alt=rss"):
        body = client.get(url).content
        assert b"javascript" not in body
        feed(client, url)
