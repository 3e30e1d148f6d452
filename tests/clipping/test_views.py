"""The clipping pages as an author uses them: clip, wait, edit (in the desk's editor),
publish; retry a failure; read the archived copy. Staff only, CSRF-protected, no inline
script."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from dateline.clipping.models import ClipJob, Snapshot
from dateline.clipping.tasks import run_clip_job
from dateline.posts.models import Label, Post, Source
from tests.clipping.clipsite import (  # noqa: F401 - fixtures
    FERRY,
    FERRY_TITLE,
    SITE,
    clip_storage_fixture,
    news_site_fixture,
    stored_files,
)
from tests.clipping.conftest import ROUTES
from tests.pages import assert_in_order, assert_valid_html5, visible_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client: Client, django_user_model) -> Client:
    user = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    client.force_login(user)
    return client


def clip(staff: Client, capture, **data: str):
    """Post the clip form and run the queued task as the commit happens."""
    with capture(execute=True):
        response = staff.post("/clip/", {"text": "full", **data})
    assert response.status_code == 302
    return ClipJob.objects.get(pk=int(re.search(r"/clip/jobs/(\d+)/", response.url)[1]))


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/clip/?url=https://news.example/a")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/?next=/clip/")
    assert client.post("/clip/", {"url": "https://news.example/a"}).status_code == 302
    assert ClipJob.objects.count() == 0


def test_logged_in_readers_who_are_not_staff_cannot_clip(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="pw"))
    assert client.get("/clip/").status_code == 302


def test_the_clip_form_refuses_a_post_without_its_csrf_token(django_user_model):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(django_user_model.objects.create_user("ed", is_staff=True))
    response = browser.post("/clip/", {"url": "https://news.example/a", "text": "full"})
    assert response.status_code == 403
    assert ClipJob.objects.count() == 0


def test_the_bookmarklet_opens_a_prefilled_form_with_instructions(staff):
    response = staff.get("/clip/?url=https://news.example/a&title=A+story&selection=Key+line")
    page = response.content.decode()
    assert_valid_html5(page)
    assert 'value="https://news.example/a"' in page and "Key line</textarea>" in page
    assert page.count('class="bookmarklet-link" href="javascript:(function(){') == 2
    assert "Drag one of these links to your browser" in page
    assert "<script>" not in page and '<script src="/static/clipping/clip.js"' in page
    assert "csrfmiddlewaretoken" in page
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_with_html_bookmarklet_window_can_receive_the_page(staff):
    response = staff.get("/clip/?html=1&url=https://news.example/a")
    assert 'data-wants-html="1"' in response.content.decode()
    assert response["Cross-Origin-Opener-Policy"] == "unsafe-none"
    assert staff.get("/clip/")["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_clip_script_is_a_static_file(staff):
    response = staff.get("/static/clipping/clip.js")
    assert response.status_code == 200
    assert "event.source !== window.opener" in b"".join(response.streaming_content).decode()


def test_a_clip_by_url_opens_in_the_desk_editor_as_markdown(
    staff, news_site, clip_storage, django_capture_on_commit_callbacks
):
    Label.objects.create(name="Ashcombe")
    Label.objects.create(name="Railways")
    job = clip(staff, django_capture_on_commit_callbacks, url=news_site.url("/stories/rope-ferry"))
    assert job.state == ClipJob.State.DONE and job.post.title == FERRY_TITLE
    response = staff.get(job.get_absolute_url())
    assert response.status_code == 302 and response.url == f"/desk/posts/{job.post.pk}/"
    page = staff.get(response.url).content.decode()
    assert_valid_html5(page)
    assert f'value="{FERRY_TITLE}"' in page
    body = page.split('name="body_source"')[1].split("</textarea>")[0]
    assert "## Two winters in the boat shed" in body and "&gt; We did not want" in body
    assert "&lt;p&gt;" not in body and "&lt;h2&gt;" not in body  # Markdown, never raw HTML
    assert 'value="Idris Pengelly"' in page and 'value="2024-06-14"' in page
    assert '<input type="checkbox" name="labels" value="Ashcombe">' in page  # one click adds
    assert 'value="Railways"' not in page.split('id="label-names"')[0]
    assert 'name="action" value="draft"' in page and 'name="action" value="publish"' in page
    assert f'href="/sources/{job.post.source_id}/">archived copy</a>' in page
    assert "http-equiv" not in page


def test_publishing_from_the_editor_gives_the_seed_anatomy(
    staff, news_site, clip_storage, django_capture_on_commit_callbacks, client
):
    Label.objects.create(name="Ashcombe")
    job = clip(staff, django_capture_on_commit_callbacks, url=news_site.url("/stories/rope-ferry"))
    form = editor_form(job.post, labels=["Ashcombe"], new_labels="River crossings")
    response = staff.post(f"/desk/posts/{job.post.pk}/", {**form, "action": "publish"})
    post = Post.objects.get()
    assert response.status_code == 302 and post.state == "published"
    page = Client().get(post.path).content.decode()
    assert_valid_html5(page)
    assert_in_order(
        visible_lines(page),
        [
            FERRY_TITLE,
            "The restored ferry waits at the Ashcombe landing on its first morning.",
            "Two winters in the boat shed",
            "What a crossing costs",
            "Source: The Upper Dale Gazette, 14 June 2024 (archived copy)",
            "Labels: Ashcombe, River crossings",
        ],
    )
    assert "<figure" in page and "<figcaption>" in page and "<blockquote>" in page
    assert f'<a href="/sources/{post.source_id}/">archived copy</a>' in page


def test_an_excerpt_clip_is_a_quoted_excerpt_in_markdown(
    staff, news_site, clip_storage, django_capture_on_commit_callbacks
):
    url = news_site.url("/stories/rope-ferry")
    job = clip(staff, django_capture_on_commit_callbacks, url=url, text="excerpt",
               selection="Short and sweet.")  # fmt: skip
    post = job.post
    assert post.body_format == Post.BodyFormat.MARKDOWN
    assert post.body_source.startswith("> Short and sweet.")
    assert post.body_html.startswith("<blockquote>\n<p>Short and sweet.</p>\n</blockquote>")
    assert "Read the full story at [The Upper Dale Gazette](" in post.body_source


def test_pasted_html_clips_through_the_form(
    staff, news_site, clip_storage, django_capture_on_commit_callbacks
):
    html = FERRY.decode().replace('"/img/', f'"{news_site.url("/img/")}')
    job = clip(
        staff, django_capture_on_commit_callbacks,
        url="https://gazette.example/stories/rope-ferry", html=html,
    )  # fmt: skip
    assert job.state == ClipJob.State.DONE
    assert job.post.source.url == "https://gazette.example/stories/rope-ferry"
    assert job.html == ""  # the snapshot keeps the page; the job no longer needs it
    assert not any(path.startswith("/stories") for path, _ in news_site.requests)


def test_the_page_shows_progress_until_the_worker_is_done(staff, news_site, clip_storage):
    response = staff.post("/clip/", {"url": news_site.url("/stories/rope-ferry"), "text": "full"})
    job = ClipJob.objects.get()  # queued: the test transaction never commits, so no task ran
    assert response.url == job.get_absolute_url()
    page = staff.get(job.get_absolute_url()).content.decode()
    assert_valid_html5(page)
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "Waiting to start" in page
    run_clip_job.enqueue(job.pk)
    response = staff.get(job.get_absolute_url())
    assert response.status_code == 302 and response.url.startswith("/desk/posts/")


def test_a_failed_clip_shows_why_keeps_nothing_and_can_be_retried(
    staff, news_site, clip_storage, django_capture_on_commit_callbacks
):
    url = news_site.url("/stories/late-ferry")
    job = clip(staff, django_capture_on_commit_callbacks, url=url)
    assert job.state == ClipJob.State.FAILED
    page = staff.get(job.get_absolute_url()).content.decode()
    assert "The page was not found (HTTP 404)." in page and "Try again" in page
    assert (Post.objects.count(), Source.objects.count(), Snapshot.objects.count()) == (0, 0, 0)
    assert stored_files(clip_storage) == []
    ROUTES["/stories/late-ferry"] = SITE["/stories/rope-ferry"]  # the story goes up
    try:
        with django_capture_on_commit_callbacks(execute=True):
            staff.post(f"/clip/jobs/{job.pk}/retry/")
    finally:
        ROUTES.pop("/stories/late-ferry")
    job.refresh_from_db()
    assert job.state == ClipJob.State.DONE and job.attempts == 2 and job.error == ""
    assert Post.objects.get().title == FERRY_TITLE


def test_retrying_needs_a_post(staff, news_site, clip_storage, django_capture_on_commit_callbacks):
    job = clip(staff, django_capture_on_commit_callbacks, url=news_site.url("/nothing"))
    assert staff.get(f"/clip/jobs/{job.pk}/retry/").status_code == 405


def test_a_second_clip_of_the_same_story_warns_and_links_the_first(
    staff, news_site, clip_storage, django_capture_on_commit_callbacks
):
    first = clip(
        staff, django_capture_on_commit_callbacks, url=news_site.url("/stories/rope-ferry")
    )
    again = clip(
        staff, django_capture_on_commit_callbacks, url=news_site.url("/stories/rope-ferry-again")
    )
    page = staff.get(again.get_absolute_url(), follow=True).content.decode()
    assert "This story was clipped before" in page
    assert f'href="/desk/posts/{first.post.pk}/"' in page
    first_page = staff.get(first.get_absolute_url(), follow=True).content.decode()
    assert "This story was clipped before" not in first_page  # only earlier clips count


def test_the_archived_copy_is_public_once_the_post_is(
    staff, news_site, clip_storage, django_capture_on_commit_callbacks
):
    job = clip(staff, django_capture_on_commit_callbacks, url=news_site.url("/stories/rope-ferry"))
    address = f"/sources/{job.post.source_id}/"
    assert Client().get(address).status_code == 404  # a draft's source stays private
    assert staff.get(address).status_code == 200
    staff.post(f"/desk/posts/{job.post.pk}/", {**editor_form(job.post), "action": "publish"})
    response = Client().get(address)
    page = response.content.decode()
    assert_valid_html5(page)
    assert '<meta name="robots" content="noindex">' in page  # the page cache keeps no headers
    lines = visible_lines(page)
    banner = next(line for line in lines if line.startswith("This is an archived copy of"))
    assert news_site.url("/stories/rope-ferry") in banner and "captured on" in banner
    assert "Two winters in the boat shed" in lines
    assert "<script" not in page.split("</header>")[1] and "PROMOTION" not in page


def test_the_task_tolerates_a_deleted_job(clip_storage):
    job = ClipJob.objects.create(url="https://news.example/a")
    job.delete()
    assert run_clip_job.enqueue(job.pk).return_value == "gone"
    assert ClipJob.objects.count() == 0


def test_a_job_runs_once(staff, news_site, clip_storage, django_capture_on_commit_callbacks):
    job = clip(staff, django_capture_on_commit_callbacks, url=news_site.url("/stories/rope-ferry"))
    assert run_clip_job.enqueue(job.pk).return_value == "done"
    assert Post.objects.count() == 1


def editor_form(post: Post, **overrides) -> dict:
    """The desk editor's fields as the page fills them for this post."""
    form = {
        "title": post.title,
        "body_source": post.body_source,
        "excerpt": post.excerpt,
        "kind": post.kind,
        "lead_image_caption": post.lead_image_caption,
        "original_author": post.source.original_author if post.source else "",
        "original_date": "2024-06-14",
        "new_labels": "",
    }
    form.update(overrides)
    return form


def test_with_the_database_queue_the_request_only_enqueues_the_job(
    staff, news_site, clip_storage, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = clip(staff, django_capture_on_commit_callbacks, url=news_site.url("/stories/rope-ferry"))
    assert job.state == ClipJob.State.QUEUED  # the request did not wait on the network
    assert news_site.requests == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "dateline.clipping.tasks.run_clip_job"
    assert queued.args_kwargs == {"args": [job.pk], "kwargs": {}}
    assert "Waiting to start" in staff.get(job.get_absolute_url()).content.decode()
    queued.task.call(*queued.args_kwargs["args"])  # what `dateline worker` does with the row
    job.refresh_from_db()
    assert job.state == ClipJob.State.DONE and job.post.title == FERRY_TITLE
