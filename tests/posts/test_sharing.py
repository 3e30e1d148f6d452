"""What a shared post shows and what machines read from pages (issue 19): Open Graph and
Twitter cards with absolute URLs, JSON-LD naming the Source, a canonical link on every
page, and h-entry microformats that mf2py reads back."""

import json
from datetime import UTC, datetime

import mf2py
import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from lxml import html as lxml_html

from dateline.people.models import Profile
from dateline.posts.models import Post, Source
from tests.conftest import png_bytes

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


@pytest.fixture
def clipped(make_post):
    author = get_user_model().objects.create_user("login-9")
    Profile.objects.update_or_create(user=author, defaults={"display_name": "Ada Desk"})
    post = make_post(title="Dykes </script> hold", labels=("Netherlands", "Sea"), author=author,
                     body_source="The **dykes** held & the sea fell back.",
                     lead_image_caption="The dyke at dawn",
                     source_url="https://news.example/dykes?id=1")  # fmt: skip
    Source.objects.filter(pk=post.source_id).update(
        original_title="Dykes hold as storm passes", original_author="Joe Reporter",
        original_date=datetime(2024, 5, 1, 9, 30, tzinfo=UTC))  # fmt: skip
    post.lead_image.save("lead.png", ContentFile(png_bytes()), save=True)
    return post


def head(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml_html.fromstring(response.content)


def meta(tree, key: str) -> str | None:
    found = tree.xpath(f"//meta[@property='{key}' or @name='{key}']/@content")
    assert len(found) <= 1, key
    return found[0] if found else None


def test_open_graph_and_twitter_cards_with_absolute_urls(client, clipped):
    tree = head(client, clipped.path)
    image = BASE + clipped.lead_image.url
    assert meta(tree, "og:type") == "article"
    assert meta(tree, "og:title") == "Dykes </script> hold"
    assert meta(tree, "og:description") == "The dykes held & the sea fell back."
    assert meta(tree, "og:url") == BASE + clipped.path
    assert meta(tree, "og:image") == image
    assert meta(tree, "og:image:alt") == "The dyke at dawn"
    assert meta(tree, "og:site_name") == "Dateline"
    assert meta(tree, "twitter:card") == "summary_large_image"
    assert meta(tree, "twitter:image") == image
    assert meta(tree, "twitter:title") == "Dykes </script> hold"


def test_a_post_without_an_image_has_a_summary_card(client, make_post):
    post = make_post(title="Plain")
    tree = head(client, post.path)
    assert meta(tree, "twitter:card") == "summary"
    assert meta(tree, "og:image") is None and meta(tree, "twitter:image") is None


def json_ld(client, url: str) -> dict:
    page = client.get(url).content.decode()
    [block] = lxml_html.fromstring(page).xpath("//script[@type='application/ld+json']")
    assert "</script>" not in block.text  # the title's own is escaped
    return json.loads(block.text)


def test_json_ld_is_a_blog_posting_based_on_the_source(client, clipped):
    data = json_ld(client, clipped.path)
    assert data["@context"] == "https://schema.org" and data["@type"] == "BlogPosting"
    assert data["headline"] == "Dykes </script> hold"
    assert data["url"] == data["mainEntityOfPage"] == BASE + clipped.path
    assert data["author"] == {"@type": "Person", "name": "Ada Desk"}
    assert data["publisher"] == {"@type": "Organization", "name": "Dateline"}
    assert data["image"] == [BASE + clipped.lead_image.url]
    assert data["keywords"] == ["Netherlands", "Sea"]
    assert datetime.fromisoformat(data["datePublished"]) == clipped.published_at
    assert data["isBasedOn"] == {
        "@type": "NewsArticle", "url": "https://news.example/dykes?id=1",
        "publisher": {"@type": "Organization", "name": "news.example"},
        "headline": "Dykes hold as storm passes",
        "author": {"@type": "Person", "name": "Joe Reporter"},
        "datePublished": "2024-05-01T09:30:00+00:00",
    }  # fmt: skip


def test_a_source_unsafe_to_link_is_not_named_as_the_original(client, clipped):
    Source.objects.filter(pk=clipped.source_id).update(url="javascript:alert(1)")
    assert "isBasedOn" not in json_ld(client, clipped.path)


def canonical(client, url: str) -> str:
    [href] = head(client, url).xpath("//link[@rel='canonical']/@href")
    return href


def test_every_page_has_its_canonical_link(client, clipped, make_post, settings):
    settings.DATELINE_PAGE_SIZE = 1
    make_post(title="Older", labels=("Sea",))
    about = make_post(title="About", kind=Post.Kind.PAGE)
    year = clipped.published_at.year
    expected = {
        "/": "/", "/?page=2": "/?page=2", "/?page=02": "/?page=2", "/?junk=1": "/",
        clipped.path: clipped.path, f"{clipped.path}?utm_source=x": clipped.path,
        about.path: about.path, "/search/label/Sea": "/search/label/Sea",
        "/search/label/sea?page=2": "/search/label/sea?page=2", f"/{year}/": f"/{year}/",
        "/search?q=dykes": "/search?q=dykes",
    }  # fmt: skip
    for url, wanted in expected.items():
        assert canonical(client, url) == BASE + wanted, url


def test_h_entry_microformats_read_back(client, clipped):
    page = client.get(clipped.path).content.decode()
    parsed = mf2py.parse(doc=page, url=BASE + clipped.path)
    [entry] = [item for item in parsed["items"] if item["type"] == ["h-entry"]]
    found = entry["properties"]
    assert found["name"] == ["Dykes </script> hold"]
    assert found["url"] == [BASE + clipped.path]
    assert "<strong>dykes</strong>" in found["content"][0]["html"]
    published = datetime.fromisoformat(found["published"][0])  # whole seconds (<time>)
    assert published == clipped.published_at.replace(microsecond=0)
    assert found["author"] == ["Ada Desk"]
    assert found["category"] == ["Netherlands", "Sea"]
    assert found["citation"] == ["https://news.example/dykes?id=1"]


def test_listings_are_h_feeds_of_h_entries(client, clipped, make_post):
    make_post(title="Older")
    parsed = mf2py.parse(doc=client.get("/").content.decode(), url=BASE + "/")
    entries = [item for item in parsed["items"] if item["type"] == ["h-entry"]]
    assert [entry["properties"]["name"] for entry in entries] == [
        ["Dykes </script> hold"], ["Older"]
    ]  # fmt: skip
    assert entries[0]["properties"]["url"] == [BASE + clipped.path]
