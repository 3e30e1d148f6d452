"""Importing from the admin: real uploads, a background job with progress, then the summary."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dateline.interchange.importing import ImportSummary
from dateline.interchange.models import ImportJob
from dateline.interchange.progress import ProgressFile
from dateline.interchange.tasks import run_import_job
from dateline.posts.models import Post
from tests.interchange.dbstate import row_counts, snapshot
from tests.interchange.test_cli_import_export import entry

pytestmark = pytest.mark.django_db
ADD = reverse("admin:interchange_importjob_add")
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path: Path) -> Path:
    """Uploads and progress files in this test's own directory."""
    settings.DATA_DIR = tmp_path
    return tmp_path


def upload(client, name: str, content: bytes, capture, **choices: bool):
    """Post the form, running the queued task when the request's transaction commits."""
    data = {"file": SimpleUploadedFile(name, content), **{k: "on" for k, v in choices.items() if v}}
    with capture(execute=True):
        response = client.post(ADD, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"]), ImportJob.objects.get(pk=_job_id(response))


def _job_id(response) -> int:
    return int(response["Location"].rstrip("/").split("/")[-2])


def legacy() -> bytes:
    return (FIXTURES / "blogger-legacy.xml").read_bytes()


def orphan_comment_file(posts: int) -> bytes:
    """Valid posts, then a comment on a post the file does not hold (found only at the end)."""
    reply = "<thr:in-reply-to ref='tag:blogger.com,1999:blog-1.post-40404'/>"
    entries = "".join([*(entry(n, "post") for n in range(1, posts + 1)),
                       entry(99999, "comment", reply)])  # fmt: skip
    return (
        "<?xml version='1.0'?>\n<feed xmlns='http://www.w3.org/2005/Atom' "
        "xmlns:thr='http://purl.org/syndication/thread/1.0'>\n"
        f"<id>tag:blogger.com,1999:blog-1</id>\n{entries}</feed>\n"
    ).encode()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(ADD)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_the_import_permission_cannot_upload(client, django_user_model):
    user = django_user_model.objects.create_user("writer", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(ADD).status_code == 403
    content = SimpleUploadedFile("blog.xml", legacy())
    assert client.post(ADD, {"file": content}).status_code == 403
    assert ImportJob.objects.count() == 0


def test_the_admin_index_links_to_the_import_page(admin_client):
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert ADD in index
    page = admin_client.get(ADD).content.decode()
    assert 'enctype="multipart/form-data"' in page
    for label in ("Export file", "Dry run", "Download images hosted on other sites"):
        assert label in page


def test_an_uploaded_blogger_export_is_imported_and_summarised(
    admin_client, django_capture_on_commit_callbacks, data_dir
):
    page, job = upload(admin_client, "blog-07-31-2007.xml", legacy(),
                       django_capture_on_commit_callbacks)  # fmt: skip
    assert job.state == "done" and job.error == ""
    assert job.summary["counts"] == {"posts": 2, "drafts": 1, "pages": 1, "labels": 4,
                                     "comments": 2, "redirects": 0, "skipped": 1}  # fmt: skip
    assert Post.objects.filter(import_ref__startswith="blogger:").count() == 4
    text = page.content.decode()
    assert "Import finished" in text and "blog-07-31-2007.xml" in text
    assert '<th scope="row">Comments</th><td>2</td>' in text
    reason = next(iter(job.summary["skipped"]))
    assert f"<li>1 {reason}</li>" in text
    assert "Middle East Clippings" in text  # the blog's title, with how to use it
    assert 'http-equiv="refresh"' not in text  # finished: no more refreshing
    assert not list((data_dir / "imports").rglob("*.xml"))  # the upload is not kept


def test_uploading_the_same_file_again_duplicates_nothing(
    admin_client, django_capture_on_commit_callbacks
):
    upload(admin_client, "blog.xml", legacy(), django_capture_on_commit_callbacks)
    before, counts = snapshot(), row_counts()
    page, job = upload(admin_client, "blog.xml", legacy(), django_capture_on_commit_callbacks)
    assert job.state == "done" and job.summary["counts"]["posts"] == 2
    assert job.summary["changes"] == {}
    assert "Changes: none (everything was already stored)." in page.content.decode()
    assert snapshot() == before and row_counts() == counts


def test_a_strict_import_shows_where_it_went_wrong_and_changes_nothing(
    admin_client, django_capture_on_commit_callbacks
):
    upload(admin_client, "blog.xml", legacy(), django_capture_on_commit_callbacks)
    before, counts = snapshot(), row_counts()
    page, job = upload(admin_client, "broken.xml", orphan_comment_file(1200),
                       django_capture_on_commit_callbacks, strict=True)  # fmt: skip
    assert job.state == "failed" and job.summary == {}
    assert "broken.xml, line 1204, entry blogger:1.post-99999" in job.error
    assert "Nothing was changed." in job.error
    text = page.content.decode()
    assert "The file could not be imported" in text and "broken.xml, line 1204" in text
    assert snapshot() == before and row_counts() == counts


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
         b"<feed>&x;</feed>", "DOCTYPE"),
        (b"<?xml version='1.0'?>\n<feed xmlns='http://www.w3.org/2005/Atom'><entry>", "line"),
        (b"<html><body>not an export</body></html>", "not a Blogger or WordPress export"),
    ],
)  # fmt: skip
def test_entities_truncation_and_wrong_formats_are_refused(
    admin_client, django_capture_on_commit_callbacks, content, expected
):
    counts = row_counts()
    page, job = upload(admin_client, "evil.xml", content, django_capture_on_commit_callbacks)
    assert job.state == "failed" and expected in job.error and "evil.xml" in job.error
    assert "root:" not in page.content.decode() and row_counts() == counts


def test_a_dry_run_reports_what_would_be_imported_and_stores_nothing(
    admin_client, django_capture_on_commit_callbacks
):
    page, job = upload(admin_client, "blog.xml", legacy(), django_capture_on_commit_callbacks,
                       dry_run=True)  # fmt: skip
    assert job.state == "done" and job.summary["dry_run"] is True
    assert job.summary["counts"]["posts"] == 2 and Post.objects.count() == 0
    assert "Dry run finished: nothing was stored" in page.content.decode()


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(admin_client, settings):
    settings.DATELINE_IMPORT_MAX_BYTES = 1000
    big = SimpleUploadedFile("big.xml", b"x" * 200_000)
    response = admin_client.post(ADD, {"file": big})
    assert response.status_code == 413
    assert "larger than 1000" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_a_file_just_over_the_limit_is_refused_by_the_form(admin_client, settings):
    settings.DATELINE_IMPORT_MAX_BYTES = 1000
    response = admin_client.post(ADD, {"file": SimpleUploadedFile("b.xml", b"x" * 1001)})
    assert response.status_code == 200 and "larger than 1000" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_the_job_page_refreshes_and_shows_counts_while_the_import_runs(admin_client):
    response = admin_client.post(ADD, {"file": SimpleUploadedFile("blog.xml", legacy())})
    job = ImportJob.objects.get()  # queued: the test's transaction never commits
    page = admin_client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "Waiting for the worker" in page
    ImportJob.objects.filter(pk=job.pk).update(state="running")
    ProgressFile(job.pk).records(ImportSummary(posts=1200, drafts=3, pages=2, comments=4000))
    page = admin_client.get(response["Location"]).content.decode()
    assert "read 1200 posts, 3 drafts, 2 pages and 4000 comments so far" in page
    ProgressFile(job.pk).images(7, 40)
    assert "downloading images, 7 of 40" in admin_client.get(response["Location"]).content.decode()


def test_the_task_tolerates_a_job_deleted_before_it_runs(admin_client, data_dir):
    admin_client.post(ADD, {"file": SimpleUploadedFile("blog.xml", legacy())})
    job = ImportJob.objects.get()
    assert job.upload_path is not None and job.upload_path.exists()
    delete = reverse("admin:interchange_importjob_delete", args=[job.pk])
    admin_client.post(delete, {"post": "yes"})
    assert not job.upload_path.exists()  # deleting the job removes its upload
    assert run_import_job.call(job.pk) == "gone"
    assert Post.objects.count() == 0


def test_a_job_runs_only_once(admin_client, django_capture_on_commit_callbacks):
    _, job = upload(admin_client, "blog.xml", legacy(), django_capture_on_commit_callbacks)
    assert run_import_job.call(job.pk) == "done"
    job.refresh_from_db()
    assert job.summary["counts"]["posts"] == 2


def test_the_upload_refuses_a_post_without_its_csrf_token(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = client.post(ADD, {"file": SimpleUploadedFile("blog.xml", legacy())})
    assert response.status_code == 403 and ImportJob.objects.count() == 0
