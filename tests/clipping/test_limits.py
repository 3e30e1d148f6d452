"""A page too large to clip is refused with a clear message, before it costs minutes and
hundreds of MB: capped by size and element count before extraction, and by a deadline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from dateline.clipping.bounded import extract_with_deadline
from dateline.clipping.errors import ExtractionError, PageTooLarge
from dateline.clipping.extract import PageLimits, extract_article
from dateline.clipping.models import ClipJob, Snapshot
from dateline.clipping.services import clip_html
from dateline.posts.models import Post, Source
from tests.clipping.clipsite import (  # noqa: F401 - fixtures
    FERRY,
    FERRY_TITLE,
    _page,
    clip_storage_fixture,
    news_site_fixture,
    stored_files,
)
from tests.clipping.conftest import ROUTES

URL = "https://gazette.example/stories/link-farm"
NO_ARTICLE = (Path(__file__).parent / "fixtures" / "no-article.html").read_bytes()
WORDS = " ".join(["The harbour ferry strike went on through the night."] * 6)


def link_farm(links: int) -> bytes:
    """A story buried under `links` links, twenty to a paragraph: the finding's page shape."""
    paragraphs = "".join(
        f"<p>{WORDS} " + "".join(f"<a href='/s/{i}/{j}'>story {j}</a> " for j in range(20))
        + "</p>"
        for i in range(links // 20)
    )  # fmt: skip
    return f"<html><head><title>Link farm</title></head><body><article><h1>Link farm</h1>{paragraphs}</article></body></html>".encode()  # noqa: E501


def one_paragraph_of_links(links: int) -> bytes:
    """Few elements, all in one paragraph: under any element cap, yet slow to extract
    without a deadline."""
    anchors = "".join(f"<a href='/s/{j}'>l{j}</a> " for j in range(links))
    return f"<html><head><title>Links</title></head><body><article><h1>Links</h1><p>{WORDS} {anchors}</p></article></body></html>".encode()  # noqa: E501


def no_stored_clip(clip_storage) -> bool:
    rows = (Post.objects.count(), Source.objects.count(), Snapshot.objects.count())
    return rows == (0, 0, 0) and stored_files(clip_storage) == []


def test_html_over_the_size_cap_is_refused_before_parsing():
    page = link_farm(2_000)
    with pytest.raises(PageTooLarge) as error:
        extract_article(page, URL, PageLimits(max_bytes=50_000))
    assert error.value.message == (
        f"The page is too large to clip: its HTML is {len(page) // 1000} kB, "
        "and the limit is 50 kB (DATELINE_CLIP_MAX_HTML_BYTES)."
    )


def test_a_page_with_more_elements_than_the_cap_is_refused():
    with pytest.raises(PageTooLarge) as error:
        extract_article(link_farm(2_000), URL, PageLimits(max_elements=1_000))
    assert re.fullmatch(
        r"The page is too large to clip: it has 2,\d{3} HTML elements, "
        r"and the limit is 1,000 \(DATELINE_CLIP_MAX_ELEMENTS\)\.",
        error.value.message,
    )


def test_a_page_under_the_caps_is_extracted_as_before():
    limits = PageLimits(max_bytes=1_000_000, max_elements=5_000)
    bounded = extract_with_deadline(FERRY, URL, limits, seconds=60)
    assert bounded == extract_article(FERRY, URL)
    assert bounded.title == FERRY_TITLE


def test_extraction_past_its_deadline_is_stopped_and_refused():
    with pytest.raises(PageTooLarge) as error:
        extract_with_deadline(one_paragraph_of_links(10_000), URL, PageLimits(), seconds=1)
    assert error.value.message == (
        "The page is too large to clip: finding its article took longer than 1 second "
        "(DATELINE_CLIP_EXTRACT_TIMEOUT)."
    )


def test_no_article_is_still_its_own_error_through_the_child():
    with pytest.raises(ExtractionError) as error:
        extract_with_deadline(NO_ARTICLE, URL, PageLimits(), seconds=60)
    assert error.value.message == "No article found on that page."


@pytest.mark.django_db
def test_a_clip_whose_extraction_runs_past_the_deadline_stores_nothing(clip_storage, settings):
    settings.DATELINE_CLIP_EXTRACT_TIMEOUT = 1
    with pytest.raises(PageTooLarge, match="took longer than 1 second"):
        clip_html(one_paragraph_of_links(10_000), URL)
    assert no_stored_clip(clip_storage)


@pytest.fixture
def staff(client: Client, django_user_model) -> Client:
    user = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_pasted_html_over_the_cap_is_refused_on_the_clip_page_with_the_text_kept(staff, settings):
    settings.DATELINE_CLIP_MAX_HTML_BYTES = 50_000
    response = staff.post("/clip/", {"url": URL, "html": link_farm(2_000).decode(), "text": "full"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The page is too large to clip: its HTML is" in page
    assert "and the limit is 50 kB" in page
    assert "story 19" in page  # what was pasted is still in the form
    assert not ClipJob.objects.exists()


@pytest.mark.django_db
def test_a_clip_job_of_a_page_with_too_many_elements_fails_with_the_reason(
    staff, news_site, clip_storage, settings, django_capture_on_commit_callbacks
):
    settings.DATELINE_CLIP_MAX_ELEMENTS = 1_000
    ROUTES["/stories/link-farm"] = _page(link_farm(2_000))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = staff.post(
                "/clip/", {"url": news_site.url("/stories/link-farm"), "text": "full"}
            )
    finally:
        ROUTES.pop("/stories/link-farm")
    job = ClipJob.objects.get(pk=int(re.search(r"/clip/jobs/(\d+)/", response.url)[1]))
    assert job.state == ClipJob.State.FAILED
    assert job.error.startswith("The page is too large to clip: it has 2,")
    page = staff.get(job.get_absolute_url()).content.decode()
    assert "The page is too large to clip" in page and "and the limit is 1,000" in page
    assert no_stored_clip(clip_storage)


@pytest.mark.django_db
def test_dateline_clip_refuses_a_saved_page_over_the_cap_without_reading_it(
    clip_storage, tmp_path_factory, settings
):
    settings.DATELINE_CLIP_MAX_HTML_BYTES = 50_000
    saved = tmp_path_factory.mktemp("saved") / "farm.html"
    saved.write_bytes(link_farm(2_000))
    with pytest.raises(CommandError) as error:
        call_command("clip", str(saved), "--url", URL)
    message = str(error.value)
    assert message.startswith("The page is too large to clip: its HTML is")
    assert message.endswith("Nothing was stored.")
    assert no_stored_clip(clip_storage)


@pytest.mark.django_db
def test_dateline_clip_refuses_a_fetched_page_with_too_many_elements(
    news_site, clip_storage, settings
):
    settings.DATELINE_CLIP_MAX_ELEMENTS = 1_000
    ROUTES["/stories/link-farm"] = _page(link_farm(2_000))
    try:
        with pytest.raises(CommandError, match=r"it has 2,\d{3} HTML elements.*Nothing was stored"):
            call_command("clip", news_site.url("/stories/link-farm"))
    finally:
        ROUTES.pop("/stories/link-farm")
    assert no_stored_clip(clip_storage)
