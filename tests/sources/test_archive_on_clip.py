"""DATELINE_ARCHIVE_ON_CLIP: each clipped story is saved at the Internet Archive (a local
stand-in here), from a task after the clip commits, one save at a time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dateline.clipping.services import ClipOptions, clip_html
from dateline.posts.models import Source
from dateline.sources import archiving
from dateline.sources.models import SourceHealth
from dateline.sources.politeness import claim
from tests.sources.web import ARTICLE, Site

pytestmark = pytest.mark.django_db
STORY = "https://valley-news.example/2026/12/rope-ferry"


def save_page_now() -> Site:
    """/save/<url> redirects to the new copy at /web/<timestamp>/<url>, as the Archive's."""

    def save(h) -> None:
        target = h.path.removeprefix("/save/")
        h.send(302, b"", Location=f"/web/20261207101500/{target}")

    archive = Site()
    archive.fallback = lambda h: (save(h) if h.path.startswith("/save/")
                                  else h.send(200, b"<p>copy</p>"))  # fmt: skip
    return archive


@pytest.fixture
def archive(settings, checking_settings):
    site = save_page_now()
    settings.DATELINE_ARCHIVE_ON_CLIP = True
    settings.DATELINE_WAYBACK_SAVE_URL = site.url("/save/")
    settings.DATELINE_ARCHIVE_SAVE_INTERVAL = 0
    yield site
    site.close()


def clip(django_capture_on_commit_callbacks) -> Source:
    with django_capture_on_commit_callbacks(execute=True):
        result = clip_html(ARTICLE, STORY, ClipOptions())
    return result.source


def test_a_clipped_story_is_saved_and_the_copy_kept_on_its_source(
    archive, django_capture_on_commit_callbacks
):
    source = clip(django_capture_on_commit_callbacks)
    saves = [path for method, path, _ in archive.requests if path.startswith("/save/")]
    assert saves == [f"/save/{STORY}"]
    health = SourceHealth.objects.get(source=source)
    assert health.archive_url == archive.url(f"/web/20261207101500/{STORY}")


def test_off_by_default_nothing_is_sent(settings, archive, django_capture_on_commit_callbacks):
    settings.DATELINE_ARCHIVE_ON_CLIP = False
    clip(django_capture_on_commit_callbacks)
    assert archive.requests == []
    settings.DATELINE_ARCHIVE_ON_CLIP = True
    settings.DATELINE_WAYBACK_SAVE_URL = "off"
    clip(django_capture_on_commit_callbacks)
    assert archive.requests == []


def test_a_refused_save_is_noted_and_nothing_stored(archive, settings):
    archive.fallback = lambda h: h.send(429, b"<p>slow down</p>")
    source = Source.objects.create(url=STORY)
    assert archiving.archive_source(source.pk) == "refused"
    assert not SourceHealth.objects.filter(source=source).exists()
    assert archiving.archive_source(source.pk + 1000) == "gone"


def test_saves_wait_for_their_slot_across_workers(archive, settings):
    """The slot is claimed in the database: a second save waits out the interval."""
    settings.DATELINE_ARCHIVE_SAVE_INTERVAL = 20
    waited: list[float] = []
    slot = "save:" + archive.url("/").split("//")[1].rstrip("/")
    assert claim(slot, every=timedelta(seconds=20)) == 0.0  # another worker just saved
    source = Source.objects.create(url=STORY)

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        from dateline.sources.models import SourceHost

        SourceHost.objects.filter(host=slot).update(not_before=None)  # time passes

    assert archiving.archive_source(source.pk, sleep=sleep) == "saved"
    assert len(waited) == 1 and 19 < waited[0] <= 20
