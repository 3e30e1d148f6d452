"""The editor's helpers: live preview, image upload, autosave, revisions, preview links."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from dateline.desk import previewing
from dateline.desk.models import Revision
from dateline.posts.models import Label, Post
from tests.conftest import png_bytes

pytestmark = pytest.mark.django_db


def test_live_preview_renders_through_the_one_pipeline_and_sanitizes(writer):
    body = "# Top\n\nHello <script>alert(1)</script><img src=x onerror=alert(1)>"
    response = writer.post("/desk/posts/preview/", {"title": "T", "body_source": body})
    html = response.json()["html"]
    assert response.status_code == 200
    assert "<h2>Top</h2>" in html  # the page's only h1 is the title, as on the public page
    assert "<script" not in html and "onerror" not in html


def test_live_preview_refuses_a_body_too_long_and_says_why(writer):
    body = "x" * (previewing.MAX_PREVIEW_CHARS + 1)
    response = writer.post("/desk/posts/preview/", {"body_source": body})
    assert response.status_code == 413 and "longer than 200,000" in response.json()["error"]


def test_live_preview_suggests_labels_not_already_chosen(writer):
    Label.objects.create(name="Netherlands")
    Label.objects.create(name="Trams")
    data = {
        "title": "Night trams in Rotterdam",
        "body_source": "Rotterdam trams run late.",
        "labels": ["Trams"],
    }
    names = [s["label"] for s in writer.post("/desk/posts/preview/", data).json()["suggestions"]]
    assert "Netherlands" in names and "Trams" not in names


def test_an_image_is_checked_stored_and_answered_as_a_figure(writer):
    image = SimpleUploadedFile("Harbour Crane.png", png_bytes((10, 20, 30)))
    response = writer.post(
        "/desk/images/",
        {"image": image, "alt": "A crane", "caption": "The crane at dawn"},
        HTTP_ACCEPT="application/json",
    )
    answer = response.json()
    assert response.status_code == 200 and answer["url"].startswith("/media/images/")
    assert answer["url"].endswith("-harbour-crane.png")
    assert answer["figure"] == (
        f'<figure><img src="{answer["url"]}" alt="A crane">'
        "<figcaption>The crane at dawn</figcaption></figure>"
    )
    stored = Path(settings.MEDIA_ROOT) / answer["url"].removeprefix("/media/")
    assert stored.read_bytes() == png_bytes((10, 20, 30))


def test_an_upload_that_is_not_an_image_is_refused_with_its_name_and_why(writer):
    svg = SimpleUploadedFile("x.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='x()'/>")
    response = writer.post("/desk/images/", {"image": svg}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == (
        "x.png was not accepted: not a readable PNG, JPEG, GIF or WebP image."
    )
    assert not (Path(settings.MEDIA_ROOT) / "images").exists()


def test_without_javascript_the_upload_page_shows_the_line_to_copy(writer):
    assert writer.get("/desk/images/").status_code == 200
    image = SimpleUploadedFile("a.png", png_bytes())
    page = writer.post("/desk/images/", {"image": image, "alt": "A"}).content.decode()
    assert "Copy this line" in page and "&lt;figure&gt;&lt;img src=" in page


def autosave_fields(**overrides) -> dict:
    data = {
        "title": "Tides",
        "body_source": "First words",
        "kind": "post",
        "excerpt": "",
        "lead_image_caption": "",
        "new_labels": "",
    }
    data.update(overrides)
    return data


def test_autosave_creates_then_updates_a_draft_coalescing_its_revisions(writer):
    first = writer.post("/desk/posts/new/autosave/", autosave_fields()).json()
    post = Post.objects.get()
    assert first["saved"] == "draft" and first["edit_url"] == f"/desk/posts/{post.pk}/"
    writer.post(first["autosave_url"], autosave_fields(body_source="More words"))
    writer.post(first["autosave_url"], autosave_fields(body_source="Even more words"))
    post.refresh_from_db()
    assert post.body_source == "Even more words" and post.state == "draft"
    assert [(r.body_source, r.autosaved) for r in post.revisions.all()] == [
        ("Even more words", True)
    ]
    writer.post(
        f"/desk/posts/{post.pk}/",
        {**autosave_fields(body_source="Even more words"), "action": "draft"},
    )
    assert [r.autosaved for r in post.revisions.all()] == [False]  # the save made it a save


def test_autosave_of_a_published_post_keeps_a_revision_and_leaves_readers_the_live_text(writer):
    post = Post.objects.create(
        title="Tides",
        body_source="Live text",
        status="published",
        published_at=timezone.now() - timedelta(hours=1),
    )
    answer = writer.post(
        f"/desk/posts/{post.pk}/autosave/", autosave_fields(body_source="Half-made edit")
    ).json()
    post.refresh_from_db()
    assert answer["saved"] == "revision" and post.body_source == "Live text"
    assert "Live text" in Client().get(post.path).content.decode()
    page = writer.get(f"/desk/posts/{post.pk}/").content.decode()
    assert "are not live yet" in page and "Compare or restore them" in page


def test_revisions_list_diff_and_restore(writer):
    post = Post.objects.create(title="Tides", body_source="one\ntwo\nthree")
    editor = f"/desk/posts/{post.pk}/"
    writer.post(editor, {**autosave_fields(body_source="one\n2\nthree"), "action": "draft"})
    writer.post(
        editor,
        {**autosave_fields(title="Tides!", body_source="one\n2\nthree\nfour"), "action": "draft"},
    )
    history = list(post.revisions.all())
    assert [r.body_source for r in history] == [
        "one\n2\nthree\nfour",
        "one\n2\nthree",
        "one\ntwo\nthree",
    ]
    oldest = history[-1]
    page = writer.get(f"/desk/posts/{post.pk}/revisions/?a={oldest.pk}").content.decode()
    assert (
        '<li class="diff-removed"><span class="diff-mark">\u2212</span><del>two</del></li>' in page
    )
    assert '<li class="diff-added"><span class="diff-mark">+</span><ins>four</ins></li>' in page
    assert "<ins>Title: Tides!</ins>" in page
    response = writer.post(f"/desk/posts/{post.pk}/revisions/{oldest.pk}/restore/")
    post.refresh_from_db()
    assert response.status_code == 302 and post.body_source == "one\ntwo\nthree"
    assert post.title == "Tides" and post.revisions.first().body_source == "one\ntwo\nthree"
    assert post.revisions.count() == 4  # nothing was lost: the restored text is a new one
    assert writer.get(f"/desk/posts/{post.pk}/revisions/{oldest.pk}/restore/").status_code == 405


def test_a_revision_of_another_post_cannot_be_restored_here(writer):
    one = Post.objects.create(title="One", body_source="x")
    other = Post.objects.create(title="Other", body_source="y")
    stranger = Revision.objects.create(
        post=other, title="Other", body_source="y", created_at=timezone.now()
    )
    assert writer.post(f"/desk/posts/{one.pk}/revisions/{stranger.pk}/restore/").status_code == 404


def test_the_signed_preview_shows_a_draft_uncached_and_unindexed(writer, settings):
    settings.DATELINE_PAGE_CACHE = True
    post = Post.objects.create(title="Not out yet", body_source="Secret **plan**")
    page = writer.get(f"/desk/posts/{post.pk}/").content.decode()
    link = page.split('<a href="/desk/preview/')[1].split('"')[0]
    for _ in range(2):  # an anonymous reader holding the link, twice: never from the cache
        response = Client().get(f"/desk/preview/{link}")
        assert response.status_code == 200
        assert "<strong>plan</strong>" in response.content.decode()
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "X-Dateline-Cache" not in response
    assert Client().get(f"/desk/preview/{link[:-2]}xx/").status_code == 404


def test_an_expired_preview_link_is_refused(writer, monkeypatch):
    post = Post.objects.create(title="Draft", body_source="x")
    link = previewing.preview_link(post)
    monkeypatch.setattr(previewing, "MAX_AGE", -1)
    response = Client().get(link)
    assert response.status_code == 404


def test_the_preview_frame_may_only_be_framed_by_the_desk(writer):
    response = writer.get("/desk/posts/new/frame/")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "/static/dateline/site.css" in response.content.decode()  # the public styles
    assert json.loads(json.dumps(dict(response.headers)))  # headers are plain strings
