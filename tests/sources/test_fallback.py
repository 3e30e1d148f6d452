"""A dead source's Source line links to a copy: our snapshot, the Archive's closest copy
(asked once, from a local stand-in of its API), or the Archive's dated address; pages and
the static mirror change when the state does, and change back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.utils import timezone

from dateline.core.versioning import current_version
from dateline.posts.models import Post, Source
from dateline.siteexport.build import build_site
from dateline.siteexport.incremental import update_site
from dateline.sources.checking import record
from dateline.sources.probe import Finding
from dateline.sources.states import Outcome
from tests.siteexport.conftest import BASE_URL
from tests.sources.web import wayback_stand_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("checking_settings")]
POSTED = datetime(2007, 7, 9, 12, tzinfo=UTC)
ORIGINAL = "https://news.example/2007/07/rope-ferry.html"
GONE = Finding(Outcome.GONE, "The page is gone (HTTP 404).", 404)
BACK = Finding(Outcome.OK, "The page answers (HTTP 200).", 200)


def _post(source: Source) -> Post:
    return Post.objects.create(title="Rope ferry", body_source="Ferry.", source=source,
                               status=Post.Status.PUBLISHED, published_at=POSTED)  # fmt: skip


def _kill(source: Source) -> None:
    for _ in range(3):
        record(source, GONE)


def _source_line(post: Post) -> str:
    html = Client().get(post.path).content.decode()
    return html.split('<p class="post-source">')[1].split("</p>")[0]


def test_a_clipped_source_falls_back_to_our_snapshot_and_back(settings):
    source = Source.objects.create(url=ORIGINAL, publisher="Valley News", fetched_at=POSTED)
    post = _post(source)
    assert f'href="{ORIGINAL}"' in _source_line(post)
    record(source, GONE)
    record(source, GONE)
    assert f'href="{ORIGINAL}"' in _source_line(post)  # suspect: still the original
    record(source, GONE)
    line = _source_line(post)
    assert f'href="/sources/{source.pk}/"' in line and "Valley News" in line
    assert "the original page is gone" in line and ORIGINAL not in line
    body_before = Post.objects.get(pk=post.pk).body_html
    record(source, BACK)
    assert f'href="{ORIGINAL}"' in _source_line(post)
    assert Post.objects.get(pk=post.pk).body_html == body_before  # the body never changes


def test_an_imported_source_links_to_the_archives_closest_copy_asked_once(settings):
    copy = "https://web.archive.org/web/20070710000000/" + ORIGINAL
    archive = wayback_stand_in({ORIGINAL: copy})
    try:
        settings.DATELINE_WAYBACK_URL = archive.url("/wayback/available")
        source = Source.objects.create(url=ORIGINAL)
        post = _post(source)
        _kill(source)
        record(source, GONE)
        assert f'href="{copy}"' in _source_line(post)
        asked = [path for _, path, _ in archive.requests]
        assert len(asked) == 1 and "timestamp=20070709" in asked[0]
    finally:
        archive.close()


def test_without_a_copy_or_with_the_lookup_off_the_link_is_the_archives_dated_address(settings):
    archive = wayback_stand_in({})
    try:
        settings.DATELINE_WAYBACK_URL = archive.url("/wayback/available")
        source = Source.objects.create(url=ORIGINAL)
        post = _post(source)
        _kill(source)
        assert f'href="https://web.archive.org/web/20070709/{ORIGINAL}"' in _source_line(post)
        assert len(archive.requests) == 1
        settings.DATELINE_WAYBACK_URL = "off"
        other = Source.objects.create(url=ORIGINAL + "?v=2")
        _kill(other)
        assert len(archive.requests) == 1
        assert other.link_for(None) == f"https://web.archive.org/web/2/{ORIGINAL}?v=2"
    finally:
        archive.close()


def test_the_content_version_moves_when_the_link_does_and_only_then():
    source = Source.objects.create(url=ORIGINAL, fetched_at=POSTED)
    _post(source)
    before = current_version()
    record(source, BACK)
    record(source, GONE)
    record(source, GONE)
    assert current_version() == before  # nothing a reader sees has changed
    record(source, GONE)
    dead = current_version()
    assert dead != before
    record(source, BACK)
    assert current_version() != dead


def test_the_mirror_updates_the_post_when_its_source_dies(tmp_path):
    source = Source.objects.create(url=ORIGINAL, fetched_at=POSTED)
    post = _post(source)
    root = tmp_path / "mirror"
    build_site(root, BASE_URL)
    page = root / post.path.lstrip("/")
    assert ORIGINAL in page.read_text()
    _kill(source)
    update_site(root, BASE_URL)
    # The Source line links the copy; the original is still named as what the post is
    # based on (JSON-LD's isBasedOn), but no longer linked for readers.
    assert f"/sources/{source.pk}/" in page.read_text()
    assert f'href="{ORIGINAL}"' not in page.read_text()


def test_last_checked_is_kept_on_the_source():
    source = Source.objects.create(url=ORIGINAL)
    record(source, BACK, now=timezone.now())
    source.refresh_from_db()
    assert source.last_check_result == "ok" and source.last_checked_at is not None
