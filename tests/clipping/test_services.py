"""clip_url and clip_html against a real HTTP server: drafts with the seed's anatomy,
images brought home, snapshots deduplicated, and failures that leave nothing behind."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dateline.clipping import services, snapshot
from dateline.clipping.errors import ClipError
from dateline.clipping.models import Snapshot
from dateline.clipping.services import ClipOptions, clip_html, clip_url
from dateline.core.sanitize import is_clean
from dateline.posts.models import Label, Post, Source
from tests.clipping.clipsite import (  # noqa: F401 - fixtures
    CROSSING_PNG,
    FERRY,
    FERRY_TITLE,
    LEAD_PNG,
    clip_storage_fixture,
    news_site_fixture,
    stored_files,
)
from tests.clipping.conftest import ROUTES

pytestmark = pytest.mark.django_db


def test_a_clip_by_url_becomes_a_draft_with_the_seed_anatomy(news_site, clip_storage):
    result = clip_url(news_site.url("/stories/rope-ferry"))
    post = Post.objects.get()
    assert post == result.post
    assert post.status == Post.Status.DRAFT and post.path is None
    assert post.title == FERRY_TITLE
    assert post.lead_image.name.startswith("images/") and post.lead_image.name.endswith(".png")
    assert post.lead_image.read() == LEAD_PNG
    caption = "The restored ferry waits at the Ashcombe landing on its first morning."
    assert post.lead_image_caption == caption
    assert post.body_html.count("<h2>") == 2
    assert "<blockquote>\n<p>We did not want a museum piece." in post.body_html
    assert post.body_format == Post.BodyFormat.MARKDOWN  # the desk edits Markdown
    assert "## Two winters in the boat shed" in post.body_source
    assert post.body_html.count("<li>") == 3
    assert "<figcaption>The first passengers cross on Saturday afternoon.</figcaption>" in (
        post.body_html
    )
    assert is_clean(post.body_html)
    assert "script" not in post.body_html and "PROMOTION" not in post.body_html


def test_a_lead_image_that_cannot_be_fetched_keeps_its_caption_and_address(news_site, clip_storage):
    page = FERRY.replace(b"/img/ferry-morning.png", b"/img/gone.png")
    ROUTES["/stories/lost-picture"] = lambda h: h._send(200, "text/html; charset=utf-8", page)
    try:
        post = clip_url(news_site.url("/stories/lost-picture")).post
    finally:
        ROUTES.pop("/stories/lost-picture")
    assert not post.lead_image
    caption = "The restored ferry waits at the Ashcombe landing on its first morning."
    assert post.lead_image_caption == caption
    assert post.source.original_image_url == news_site.url("/img/gone.png")


def test_the_source_records_where_and_when_the_story_came_from(news_site, clip_storage):
    post = clip_url(news_site.url("/stories/rope-ferry")).post
    source = post.source
    assert source.url == news_site.url("/stories/rope-ferry")
    assert source.canonical_url == news_site.url("/stories/2024/rope-ferry")
    assert source.publisher == "The Upper Dale Gazette"
    assert source.original_title == FERRY_TITLE
    assert source.original_author == "Idris Pengelly"
    assert source.original_date == datetime(2024, 6, 14, 7, 45, tzinfo=UTC)
    assert source.http_status == 200
    assert source.fetched_at is not None


def test_body_images_are_downloaded_and_served_from_our_media(news_site, clip_storage):
    post = clip_url(news_site.url("/stories/rope-ferry")).post
    assert news_site.url("/img/") not in post.body_html
    assert 'src="/media/images/' in post.body_html
    media = clip_storage / "media"
    assert sorted(p.read_bytes() for p in media.rglob("*.png")) == sorted([LEAD_PNG, CROSSING_PNG])


def test_an_image_over_the_size_limit_is_left_out_and_the_clip_still_succeeds(
    news_site, clip_storage
):
    post = clip_url(news_site.url("/stories/huge-image")).post
    assert "huge.png" not in post.body_html
    assert "The first passengers cross" not in post.body_html  # its figure went with it
    assert post.lead_image


def test_the_snapshot_keeps_the_page_compressed_and_a_readable_copy(news_site, clip_storage):
    result = clip_url(news_site.url("/stories/rope-ferry"))
    stored = result.snapshot
    assert snapshot.read(stored.path) == FERRY
    assert stored.size == len(FERRY) and len(stored.sha256) == 64
    assert (clip_storage / "snapshots" / stored.path).stat().st_size < len(FERRY)
    assert stored.source == result.source and stored.url == result.source.url
    assert "<h2>Two winters in the boat shed</h2>" in stored.article_html
    assert "<figure><img" in stored.article_html and "<script" not in stored.article_html


def test_clipping_the_same_page_twice_stores_one_file_and_warns(news_site, clip_storage):
    first = clip_url(news_site.url("/stories/rope-ferry"))
    second = clip_url(news_site.url("/stories/rope-ferry"))
    assert Snapshot.objects.count() == 2
    assert first.snapshot.path == second.snapshot.path
    assert len(list((clip_storage / "snapshots").rglob("*.gz"))) == 1
    assert len(list((clip_storage / "media").rglob("*.png"))) == 2
    assert first.earlier == [] and second.earlier == [first.post]


def test_the_same_canonical_url_from_another_address_is_a_duplicate(news_site, clip_storage):
    first = clip_url(news_site.url("/stories/rope-ferry"))
    again = clip_url(news_site.url("/stories/rope-ferry-again"))
    assert again.earlier == [first.post]


def test_pasted_html_clips_without_fetching_the_page(news_site, clip_storage):
    url = "https://gazette.example/stories/rope-ferry"
    html = FERRY.decode().replace('"/img/', f'"{news_site.url("/img/")}')
    result = clip_html(html, url, ClipOptions(selection="Passengers can cross the river again."))
    post = result.post
    assert [path for path, _ in news_site.requests if path.startswith("/stories")] == []
    assert post.title == FERRY_TITLE and post.lead_image
    assert post.source.url == url and post.source.http_status is None
    assert post.source.canonical_url == "https://gazette.example/stories/2024/rope-ferry"
    assert post.excerpt == "Passengers can cross the river again."
    assert post.body_html.count("<h2>") == 2


def test_an_excerpt_quotes_the_story_and_links_to_it(news_site, clip_storage):
    result = clip_url(news_site.url("/stories/rope-ferry"), ClipOptions(as_excerpt=True))
    body = result.post.body_html
    assert body.startswith("<blockquote>\n<p>Volunteers in Ashcombe restored")
    assert f'<a href="{news_site.url("/stories/rope-ferry")}"' in body
    assert "Two winters in the boat shed" not in body
    assert "Two winters in the boat shed" in result.full_html


FAILURES = [
    ("/nothing-here", "The page was not found (HTTP 404)."),
    ("/huge-declared", "The page is larger than 10 MB."),
    ("/image.png", "That address is not a web page (content type image/png)."),
    ("/stories/empty", "No article found on that page."),
]


@pytest.mark.parametrize(("path", "message"), FAILURES)
def test_a_failed_clip_says_why_and_leaves_nothing(news_site, clip_storage, path, message):
    with pytest.raises(ClipError) as error:
        clip_url(news_site.url(path))
    assert error.value.message == message
    assert_nothing_stored(clip_storage)


def test_a_slow_site_times_out_and_leaves_nothing(news_site, clip_storage, settings):
    settings.DATELINE_CLIP_TIMEOUT = 1
    with pytest.raises(ClipError) as error:
        clip_url(news_site.url("/slow"))
    assert error.value.message == "The site took too long to answer."
    assert_nothing_stored(clip_storage)


@pytest.mark.parametrize("url", ["http://10.0.0.8/story", "http://169.254.169.254/latest/"])
def test_a_private_address_is_refused_before_any_connection(clip_storage, connections, url):
    with pytest.raises(ClipError) as error:
        clip_url(url)
    assert error.value.message.startswith("That address is not allowed")
    assert connections == []
    assert_nothing_stored(clip_storage)


def test_loopback_is_refused_without_the_test_setting(news_site, clip_storage, settings):
    settings.DATELINE_CLIP_ALLOW_LOOPBACK = False
    with pytest.raises(ClipError) as error:
        clip_url(news_site.url("/stories/rope-ferry"))
    assert error.value.message.startswith("That address is not allowed")


def test_pasted_html_needs_a_web_address(clip_storage):
    with pytest.raises(ClipError) as error:
        clip_html(FERRY, "javascript:alert(1)")
    assert error.value.message == "That is not a web address."


def test_a_failure_while_saving_removes_the_files_it_wrote(news_site, clip_storage, monkeypatch):
    def broken_save(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_save", broken_save)
    with pytest.raises(RuntimeError):
        clip_url(news_site.url("/stories/rope-ferry"))
    assert_nothing_stored(clip_storage)


def test_a_failure_keeps_files_an_earlier_clip_stored(news_site, clip_storage, monkeypatch):
    clip_url(news_site.url("/stories/rope-ferry"))
    before = stored_files(clip_storage)
    monkeypatch.setattr(services, "_save", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        clip_url(news_site.url("/stories/rope-ferry"))
    assert stored_files(clip_storage) == before


def test_no_labels_are_applied_without_confirmation(news_site, clip_storage):
    Label.objects.create(name="Ferries")
    post = clip_url(news_site.url("/stories/rope-ferry")).post
    assert list(post.labels.all()) == []


def assert_nothing_stored(root) -> None:
    assert Post.objects.count() == 0
    assert Source.objects.count() == 0
    assert Snapshot.objects.count() == 0
    assert stored_files(root) == []
