"""The page cache: anonymous pages come from the cache, and no change is ever served stale."""

import gzip
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dateline.comments.forms import start_token
from dateline.comments.models import Comment
from dateline.posts.models import Label, Post
from dateline.serving.pagecache import etag_matches, filled
from tests.pages import visible_lines

pytestmark = pytest.mark.django_db


def cache_status(response) -> str:
    return response.get("X-Dateline-Cache", "none")


def test_second_anonymous_visit_is_served_from_the_cache(client, make_post):
    make_post(title="Cached story")
    first, second = client.get("/"), client.get("/")
    assert (cache_status(first), cache_status(second)) == ("miss", "hit")
    assert first.content == second.content
    with CaptureQueriesContext(connection) as queries:
        assert cache_status(client.get("/")) == "hit"
    assert len(queries) == 1  # the content version, nothing else


PAGES_SHOWING_A_NEW_POST = ["/", "/search/label/Malta", "/feeds/posts/default",
                            "/feeds/posts/default/-/Malta", "/sitemap.xml"]  # fmt: skip


def test_publishing_refreshes_every_page_that_shows_the_post(client, make_post):
    older = make_post(title="Older story", labels=("Malta",))
    year = f"/{older.published_at.year}/"
    for url in [*PAGES_SHOWING_A_NEW_POST, year, older.path]:
        client.get(url)
        assert cache_status(client.get(url)) == "hit"
    draft = make_post(title="Fresh story", labels=("Malta",), status=Post.Status.DRAFT)
    draft.status = Post.Status.PUBLISHED
    draft.published_at = timezone.now() - timedelta(minutes=1)
    draft.save()
    for url in PAGES_SHOWING_A_NEW_POST:
        shown = "Fresh story" if url != "/sitemap.xml" else draft.path
        assert shown in client.get(url).content.decode(), url
    assert draft.path in client.get(older.path).content.decode()  # the "Newer Post" link


def test_unpublishing_and_deleting_are_seen_at_once(client, make_post):
    post = make_post(title="Short-lived", labels=("Malta",))
    client.get("/")
    assert client.get(post.path).status_code == 200
    post.status = Post.Status.DRAFT
    post.save()
    assert "Short-lived" not in client.get("/").content.decode()
    assert client.get(post.path).status_code == 404
    post.status = Post.Status.PUBLISHED
    post.save()
    assert "Short-lived" in client.get("/").content.decode()
    post.delete()
    assert "Short-lived" not in client.get("/").content.decode()


def test_approving_a_comment_and_renaming_a_label_refresh_pages(client, make_post):
    post = make_post(labels=("Malta",))
    assert "0 Comments:" in visible_lines(client.get(post.path).content)
    comment = Comment.objects.create(post=post, author_name="R", body="Seen it.",
                                     created_at=post.published_at)  # fmt: skip
    assert "0 Comments:" in visible_lines(client.get(post.path).content)
    comment.status = Comment.Status.APPROVED
    comment.save()
    assert "1 Comment:" in visible_lines(client.get(post.path).content)
    label = Label.objects.get(name="Malta")
    label.name = "Republic of Malta"
    label.save()
    assert "Labels: Republic of Malta" in visible_lines(client.get(post.path).content)


def test_scheduled_post_appears_on_cached_pages_when_due(client, make_post):
    post = make_post(title="Embargoed", published_at=timezone.now() + timedelta(hours=2))
    assert "Embargoed" not in client.get("/").content.decode()
    assert cache_status(client.get("/")) == "hit"
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert "Embargoed" in client.get("/").content.decode()


def test_etag_and_last_modified_allow_a_304(client, make_post):
    make_post()
    first = client.get("/")
    assert first["ETag"] and first["Last-Modified"]
    again = client.get("/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    zipped = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert zipped["ETag"].startswith("W/")
    revalidated = client.get(
        "/", headers={"Accept-Encoding": "gzip", "If-None-Match": zipped["ETag"]}
    )
    assert revalidated.status_code == 304
    make_post(title="Something new")
    changed = client.get("/", headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_each_reader_gets_a_working_csrf_token_from_a_cached_page(make_post):
    post = make_post()
    Client().get(post.path)
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(post.path)
    assert cache_status(page) == "hit"
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert "__DATELINE" not in token
    response = reader.post(f"/comments/post/{post.pk}/", {
        "csrfmiddlewaretoken": token, "author_name": "Reader", "body": "Through the cache.",
        "started": start_token(), "website": "",
    })  # fmt: skip
    assert response.status_code == 303
    assert Comment.objects.filter(body="Through the cache.").exists()


def test_logged_in_authors_bypass_the_cache(make_post):
    make_post()
    author = Client()
    author.force_login(get_user_model().objects.create_user("a", password="pw-for-tests"))
    author.get("/")
    assert cache_status(author.get("/")) == "none"


def test_pages_are_compressed_for_clients_that_accept_gzip(client, make_post):
    make_post(body_source="Words " * 400)
    response = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert b"Words Words" in gzip.decompress(response.content)


def test_cache_can_be_turned_off(client, make_post, settings):
    settings.DATELINE_PAGE_CACHE = False
    make_post()
    client.get("/")
    assert cache_status(client.get("/")) == "none"


def test_a_form_page_is_its_fixed_parts_with_each_readers_values_between_them():
    fixed = [b"<form>", b"<input value=", b"></form>"]
    assert filled(fixed, [b"T", b"S"]) == b"<form>T<input value=S></form>"
    assert filled([b"no fields"], []) == b"no fields"
    with pytest.raises(ValueError, match="3 fixed parts need 2 fillers"):
        filled(fixed, [b"T"])


def test_etags_compare_weakly_and_an_absent_header_matches_nothing():
    assert etag_matches('W/"abc", "def"', '"abc"') and etag_matches("*", '"abc"')
    assert not etag_matches("", '"abc"') and not etag_matches('"abcd"', '"abc"')


@pytest.mark.parametrize("cache_control", ["private, no-store", "no-store", "Private"])
def test_a_page_its_view_marks_no_store_or_private_is_never_stored(cache_control):
    """A signed draft preview is anonymous but belongs to whoever holds the link."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    from dateline.serving.pagecache import _storable

    request = RequestFactory().get("/")
    response = HttpResponse("<p>draft</p>", content_type="text/html")
    assert _storable(request, response)
    response["Cache-Control"] = cache_control
    assert not _storable(request, response)
