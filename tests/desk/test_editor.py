"""Writing at the desk: the editor saves, publishes and schedules through the model,
labels come as chips with suggestions, and times are the blog's."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from dateline.desk.models import Revision
from dateline.posts.models import Label, Post, Source
from tests.conftest import png_bytes
from tests.pages import assert_valid_html5

pytestmark = pytest.mark.django_db


def fields(**overrides) -> dict:
    form = {
        "title": "Night trams return to Rotterdam",
        "kind": "post",
        "body_source": "## Timetable\n\nTrams run **all night** from Friday.",
        "excerpt": "",
        "lead_image_caption": "",
        "new_labels": "",
    }
    form.update(overrides)
    return form


def test_the_editor_page_is_valid_self_contained_and_names_the_zone(writer, settings):
    settings.TIME_ZONE = "Europe/Amsterdam"
    response = writer.get("/desk/posts/new/")
    page = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert_valid_html5(page)
    assert 'class="title-input"' in page and 'maxlength="300"' in page
    assert "Europe/Amsterdam (CET)" in page or "Europe/Amsterdam (CEST)" in page
    assert 'type="date"' in page and 'type="time"' in page
    assert "<script>" not in page and "style=" not in page  # CSP: files only
    assert '<script src="/static/desk/editor.js" defer></script>' in page
    for action in ("draft", "schedule", "publish"):
        assert f'name="action" value="{action}"' in page


def test_save_draft_goes_through_the_model_and_keeps_a_revision(writer):
    response = writer.post("/desk/posts/new/", {**fields(), "action": "draft"})
    post = Post.objects.get()
    assert response.status_code == 302 and response.url == f"/desk/posts/{post.pk}/"
    assert post.state == "draft" and post.author == writer.user and post.path is None
    assert post.body_format == "markdown" and "<h2>Timetable</h2>" in post.body_html
    assert [(r.title, r.autosaved) for r in post.revisions.all()] == [(post.title, False)]
    page = writer.get(response.url).content.decode()
    assert "Draft saved." in page


def test_publish_now_sets_time_path_and_labels_old_and_new(writer):
    Label.objects.create(name="Netherlands")
    form = {
        **fields(),
        "labels": ["netherlands"],
        "new_labels": "Night life, Trams ,",
        "action": "publish",
    }
    writer.post("/desk/posts/new/", form)
    post = Post.objects.get()
    assert post.state == "published" and post.path.endswith("/night-trams-return-to-rotterdam.html")
    assert sorted(label.name for label in post.labels.all()) == [
        "Netherlands",
        "Night life",
        "Trams",
    ]
    assert Label.objects.count() == 3  # "netherlands" matched the existing label
    assert Client().get(post.path).status_code == 200


def test_schedule_reads_the_time_in_the_blogs_zone_and_shows_it_on_the_desk(writer, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    day = (timezone.localtime() + timedelta(days=3)).date()
    form = {
        **fields(),
        "publish_date": day.isoformat(),
        "publish_time": "07:30",
        "action": "schedule",
    }
    writer.post("/desk/posts/new/", form)
    post = Post.objects.get()
    expected = datetime(day.year, day.month, day.day, 7, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert post.state == "scheduled" and post.published_at == expected
    home = writer.get("/desk/").content.decode()
    assert f'<a href="/desk/posts/{post.pk}/">{post.title}</a>' in home
    assert f"goes out {day.day} {day:%b %Y}, 07:30 JST" in home
    editor = writer.get(f"/desk/posts/{post.pk}/").content.decode()
    assert f'value="{day.isoformat()}"' in editor and 'value="07:30"' in editor
    assert "Reschedule" in editor
    assert Client().get(post.path).status_code == 404  # not out yet


def test_a_schedule_in_the_past_or_without_a_time_is_refused_and_nothing_stored(writer):
    yesterday = (timezone.localtime() - timedelta(days=1)).date().isoformat()
    response = writer.post(
        "/desk/posts/new/",
        {**fields(), "publish_date": yesterday, "publish_time": "09:00", "action": "schedule"},
    )
    assert response.status_code == 400 and Post.objects.count() == 0
    assert "That time has passed" in response.content.decode()
    response = writer.post("/desk/posts/new/", {**fields(), "action": "schedule"})
    assert "Give the date and the time" in response.content.decode()
    assert Post.objects.count() == 0


def test_a_lead_image_passes_the_same_check_as_every_writer(writer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("lead.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = writer.post("/desk/posts/new/", {**fields(), "lead_image": fake, "action": "draft"})
    assert response.status_code == 400 and Post.objects.count() == 0
    assert "Upload a valid image" in response.content.decode()
    real = SimpleUploadedFile("lead.png", png_bytes(), content_type="image/png")
    writer.post(
        "/desk/posts/new/",
        {**fields(), "lead_image": real, "lead_image_caption": "The depot", "action": "draft"},
    )
    post = Post.objects.get()
    assert post.lead_image.name.startswith("images/")
    page = writer.get(f"/desk/posts/{post.pk}/").content.decode()
    assert f'<img class="thumb" src="/media/{post.lead_image.name}"' in page  # not a file path
    writer.post(
        f"/desk/posts/{post.pk}/", {**fields(), "remove_lead_image": "on", "action": "draft"}
    )
    post.refresh_from_db()
    assert not post.lead_image


def test_an_editor_for_a_published_post_updates_it_in_place(writer):
    post = Post.objects.create(
        title="Out",
        body_source="Old",
        status="published",
        published_at=timezone.now() - timedelta(days=2),
    )
    published_at, path = post.published_at, post.path
    page = writer.get(f"/desk/posts/{post.pk}/").content.decode()
    assert ">Update</button>" in page and ">Unpublish</button>" in page
    writer.post(
        f"/desk/posts/{post.pk}/", {**fields(title="Out", body_source="New"), "action": "publish"}
    )
    post.refresh_from_db()
    assert (post.body_source, post.published_at, post.path) == ("New", published_at, path)
    # The text from before the desk knew the post is kept as the first revision.
    assert [r.body_source for r in post.revisions.order_by("created_at", "id")] == ["Old", "New"]


def test_an_html_body_opens_as_markdown(writer):
    post = Post.objects.create(
        title="Imported",
        body_format="html",
        body_source="<h2>Hi</h2><p>A <a href='https://x.example/'>link</a></p>",
    )
    page = writer.get(f"/desk/posts/{post.pk}/").content.decode()
    body = page.split('name="body_source"')[1].split("</textarea>")[0]
    assert "## Hi" in body and "[link](https://x.example/)" in body


def test_suggestions_offer_labels_not_yet_on_the_post(writer):
    Label.objects.create(name="Netherlands")
    Label.objects.create(name="Trams")
    post = Post.objects.create(
        title="Night trams return to Rotterdam",
        body_source="Trams in Rotterdam run all night again.",
    )
    post.labels.add(Label.objects.get(name="Trams"))
    page = writer.get(f"/desk/posts/{post.pk}/").content.decode()
    suggested = page.split('id="label-suggestions"')[1].split("</div>")[0]
    assert 'value="Netherlands"' in suggested and 'value="Trams"' not in suggested
    chips = page.split('id="label-chips"')[1].split("</ul>")[0]
    assert '<input type="checkbox" name="labels" value="Trams" checked>' in chips


def test_the_post_list_shows_states_and_searches(writer):
    now = timezone.now()
    Post.objects.create(title="Tram draft", body_source="x")
    Post.objects.create(
        title="Ferry soon",
        body_source="x",
        status="published",
        published_at=now + timedelta(days=1),
    )
    Post.objects.create(
        title="Ferry out",
        body_source="about trams",
        status="published",
        published_at=now - timedelta(days=1),
    )
    page = writer.get("/desk/posts/").content.decode()
    assert_valid_html5(page)
    for state in ("Draft", "Scheduled", "Published"):
        assert f">{state}</span>" in page
    found = writer.get("/desk/posts/?q=tram").content.decode()
    assert "Tram draft" in found and "Ferry out" in found and "Ferry soon" not in found
    scheduled = writer.get("/desk/posts/?state=scheduled").content.decode()
    assert "Ferry soon" in scheduled and "Tram draft" not in scheduled


def test_the_desk_nav_and_home_lead_to_the_editor(writer):
    draft = Post.objects.create(title="Half done", body_source="x")
    page = writer.get("/desk/").content.decode()
    assert 'href="/desk/posts/new/"' in page and 'href="/desk/posts/"' in page
    assert f'<a href="/desk/posts/{draft.pk}/">Half done</a>' in page
    assert "/admin/posts/post/add/" not in page


def test_the_lead_image_that_could_not_be_fetched_is_explained(writer):
    source = Source.objects.create(
        url="https://news.example/a", original_image_url="https://news.example/gone.png"
    )
    post = Post.objects.create(
        title="Clipped", body_source="x", source=source, lead_image_caption="The harbour at dawn"
    )
    page = writer.get(f"/desk/posts/{post.pk}/").content.decode()
    assert "lead image could not be fetched" in page
    assert "https://news.example/gone.png" in page and 'value="The harbour at dawn"' in page


def test_readers_are_kept_out(client, django_user_model):
    post = Post.objects.create(title="T", body_source="x")
    for path in (
        "/desk/posts/",
        "/desk/posts/new/",
        f"/desk/posts/{post.pk}/",
        f"/desk/posts/{post.pk}/revisions/",
    ):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith("/admin/login/")
    assert client.post("/desk/posts/preview/", {"body_source": "x"}).status_code == 302
    assert client.post("/desk/images/", {}).status_code == 302
    assert not Revision.objects.exists()


def test_posting_without_a_csrf_token_is_refused(writer):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(writer.user)
    assert strict.post("/desk/posts/new/", {**fields(), "action": "draft"}).status_code == 403
    assert strict.post("/desk/posts/preview/", {"body_source": "x"}).status_code == 403
    assert Post.objects.count() == 0


def test_title_too_long_is_refused_by_the_model(writer):
    response = writer.post("/desk/posts/new/", {**fields(title="x" * 301), "action": "draft"})
    assert response.status_code == 400 and Post.objects.count() == 0
    assert re.search(r"at most 300 characters", response.content.decode())
