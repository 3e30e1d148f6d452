"""`dateline worker` runs each task in the blog's stored time zone, as a request does: an
import queued from the desk gives a post the month of the blog's zone in its path."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.own_sqlite
# 20:00 UTC on 31 January is 09:00 on 1 February in Auckland (UTC+13 in summer).
STORY = """---
title: "Late vote on the harbour budget"
published: 2024-01-31T20:00:00Z
---

The council voted after midnight.
"""
QUEUE_AN_IMPORT = f"""
from django.core.files.uploadedfile import SimpleUploadedFile
from dateline.interchange import jobs, tasks
from dateline.site_settings.current import stored_row
row = stored_row()
row.time_zone = "Pacific/Auckland"
row.save()
upload = SimpleUploadedFile("late.md", {STORY.encode()!r})
tasks.enqueue_import(jobs.new_job(upload, dry_run=False, fetch_images=False, user=None).pk)
"""
PATHS = "from dateline.posts.models import Post\nprint(*Post.objects.values_list('path', flat=1))"


def dateline(data: Path, *args: str) -> str:
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("DATELINE_")
                   and key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}  # fmt: skip
    environment.update(DATELINE_DATA_DIR=str(data), DATELINE_TIME_ZONE="UTC")
    done = subprocess.run([sys.executable, "-m", "dateline.cli", *args], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=180)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_queued_import_takes_the_month_of_the_blogs_time_zone(tmp_path):
    data = tmp_path / "data"
    dateline(data, "migrate", "--verbosity", "0")
    dateline(data, "shell", "--no-imports", "--command", QUEUE_AN_IMPORT)
    dateline(data, "worker", "--batch", "--verbosity", "0")
    assert dateline(data, "shell", "--no-imports", "--command", PATHS).split() == [
        "/2024/02/late-vote-on-the-harbour-budget.html"
    ]
    # The same file imported by the command (which applies the blog's zone) agrees.
    (tmp_path / "late.md").write_text(STORY)
    other = tmp_path / "other"
    dateline(other, "migrate", "--verbosity", "0")
    dateline(other, "shell", "--no-imports", "--command", QUEUE_AN_IMPORT.split("upload =")[0])
    dateline(other, "import", str(tmp_path / "late.md"))
    assert dateline(other, "shell", "--no-imports", "--command", PATHS).split() == [
        "/2024/02/late-vote-on-the-harbour-budget.html"
    ]
