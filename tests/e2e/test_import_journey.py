"""The author moves a Blogger blog in from the admin and watches the import's progress.

The task backend is the dummy one here, so the upload stays queued until the test plays
the worker: the author sees the waiting page refresh itself, then the summary appear
once the worker has run the job, without touching the browser.
"""

import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from dateline.interchange.models import ImportJob
from dateline.interchange.tasks import run_import_job
from tests.e2e.test_comment_journeys import AUTHOR, PASSWORD, log_in_to_admin

pytestmark = pytest.mark.django_db(transaction=True)

EXPORT = Path(__file__).resolve().parents[1] / "interchange" / "fixtures" / "blogger-legacy.xml"
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_the_author_imports_a_blogger_export_and_watches_it_finish(new_page, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.TASKS = DUMMY_TASKS
    get_user_model().objects.create_superuser(AUTHOR, "editor@example.org", PASSWORD)
    upload = tmp_path / "blog-07-31-2007.xml"
    shutil.copy(EXPORT, upload)
    author = new_page()
    log_in_to_admin(author)

    imports = author.get_by_role("table").filter(has_text="Imports")
    imports.get_by_role("link", name="Add").first.click()
    expect(author.get_by_role("heading", name="Import a blog")).to_be_visible()
    author.get_by_label("Export file").set_input_files(str(upload))
    author.get_by_role("button", name="Import").click()

    status = author.get_by_role("status")
    expect(status).to_contain_text("Waiting for the worker")
    expect(author.locator('meta[http-equiv="refresh"]')).to_have_attribute("content", "2")
    job = ImportJob.objects.get()
    assert job.state == "queued" and job.file_name == upload.name

    assert run_import_job.call(job.pk) == "done"  # the worker picks the job up

    expect(author.get_by_role("heading", name="Import finished")).to_be_visible()
    summary = author.locator("table.import-summary")
    expect(summary.get_by_role("row", name="Posts")).to_contain_text("2")
    expect(summary.get_by_role("row", name="Comments")).to_contain_text("2")
    expect(summary.get_by_role("row", name="Labels")).to_contain_text("4")
    expect(author.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    assert author.watch.problems() == []

    reader = new_page()
    reader.goto("/2007/07/us-and-iran-clash.html")  # the old Blogger address answers
    expect(reader.locator("h1.post-title")).to_have_text("US and Iran clash")
    expect(reader.locator(".post-labels")).to_contain_text("Labels: ")
    expect(reader.locator("#comments-heading")).to_have_text("2 Comments:")
