"""`dateline media sweep`: files no row names go once past the grace period; the rest stay.

Real files in a scratch media and snapshot dir, real rows in the test database. Age is
given to a file by setting its modification time, as a day of waiting would.
"""

from __future__ import annotations

import os
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from dateline.clipping import snapshot
from dateline.clipping.models import Snapshot
from dateline.comments.models import Comment
from dateline.posts.models import Post, Source
from dateline.posts.services import stored_image_name
from tests.conftest import png_bytes
from tests.ops.helpers import child_env, dateline

DAY = 24 * 3600


@pytest.fixture
def roots(tmp_path: Path, settings) -> tuple[Path, Path]:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SNAPSHOT_ROOT = tmp_path / "snapshots"
    return settings.MEDIA_ROOT, settings.SNAPSHOT_ROOT


def put(path: Path, data: bytes = b"x", *, age: float = 2 * DAY) -> Path:
    """A file last written `age` seconds ago."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def age(path: Path, seconds: float = 2 * DAY) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def sweep(*args: str) -> str:
    out = StringIO()
    call_command("media", "sweep", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_referenced_files_stay_and_orphans_go(roots):
    media, snapshots = roots
    lead = Post(title="Lead", body_source="x", status=Post.Status.PUBLISHED)
    lead.lead_image.save("lead.png", ContentFile(png_bytes()), save=False)
    lead.save()
    in_body = put(media / "images/ab/abcdef-in-body.png")
    body = '<p><img src="/media/images/ab/abcdef-in-body.png" alt=""></p>'
    Post.objects.create(title="Body", body_format="html", body_source=body)
    escaped = put(media / "images/cd/a name&more.png")  # percent- and entity-encoded in HTML
    body = '<img src="https://blog.example/media/images/cd/a%20name&amp;more.png?v=1">'
    Post.objects.create(title="Escaped", body_format="html", body_source=body)
    archived_name = "images/ef/only-in-the-archive.jpg"
    archived = put(media / archived_name)
    blob = snapshot.store(b"<html>page</html>")
    source = Source.objects.create(url="https://news.example/a")
    Snapshot.objects.create(
        source=source,
        sha256=blob.sha256,
        path=blob.path,
        size=1,
        url=source.url,
        article_html=f'<img src="/media/{archived_name}">',
    )
    age(Path(lead.lead_image.path))
    age(snapshots / blob.path)
    orphans = [
        put(media / "images/12/1234-killed-clip.png"),
        put(media / "images/2024/03/old-upload.png"),
        put(snapshots / "9f/9f00.gz"),
        put(snapshots / "9f/.incoming-abc"),  # a snapshot write cut short
    ]
    operators = put(media / "downloads/report.pdf")  # not a folder Dateline writes

    report = sweep()

    for path in orphans:
        assert not path.exists(), path
    for path in (Path(lead.lead_image.path), in_body, escaped, archived, snapshots / blob.path):
        assert path.exists(), path
    assert operators.exists()
    assert "Removed 4 orphaned files (" in report and "kept 5 referenced and 0 too recent" in report


@pytest.mark.django_db
def test_the_grace_period_protects_a_clip_in_progress(roots):
    media, snapshots = roots
    fresh = put(media / "images/aa/just-downloaded.png", age=60)
    fresh_snapshot = put(snapshots / "aa/aa11.gz", age=60)
    hour_old = put(media / "images/bb/an-hour-old.png", age=3600 + 60)

    report = sweep("--older-than", "120")  # two hours

    assert fresh.exists() and fresh_snapshot.exists() and hour_old.exists()
    assert "Removed 0 orphaned files" in report and "3 too recent" in report
    sweep("--older-than", "30")
    assert fresh.exists() and fresh_snapshot.exists() and not hour_old.exists()
    sweep()  # the default: a day
    assert fresh.exists()


@pytest.mark.django_db
def test_a_dry_run_lists_and_removes_nothing(roots):
    media, _ = roots
    orphan = put(media / "images/cc/orphan.png")
    report = sweep("--dry-run")
    assert orphan.exists()
    assert f"would remove {orphan}\n" in report
    assert "Would remove 1 orphaned file (1 bytes)" in report


@pytest.mark.django_db
def test_an_old_orphan_reused_by_a_new_post_is_fresh_again(roots, tmp_path: Path):
    """Content-addressed names: a new clip or post reusing an orphan's bytes revives it."""
    image = png_bytes((1, 2, 3))
    name = stored_image_name(image, "gauge.png", "png")
    stored = roots[0] / name
    age(stored)  # the post that used it was never committed (killed), a day ago
    # A new post stores the same bytes again:
    assert stored_image_name(image, "gauge.png", "png") == name
    sweep("--older-than", "60")
    assert stored.exists()


@pytest.mark.django_db
def test_comments_and_other_text_columns_count_as_references(roots):
    media, _ = roots
    linked = put(media / "images/dd/linked-from-a-comment.png")
    post = Post.objects.create(title="P", body_source="x", status=Post.Status.PUBLISHED)
    Comment.objects.create(post=post, author_name="A", status="approved", created_at=timezone.now(),
                           body="see /media/images/dd/linked-from-a-comment.png")  # fmt: skip
    sweep()
    assert linked.exists()


def test_a_negative_grace_is_refused(roots):
    with pytest.raises(CommandError, match="--older-than"):
        sweep("--older-than", "-1")


def test_a_worker_sweeps_when_it_starts(tmp_path: Path):
    """A worker killed mid-clip is restarted; the restarted worker removes what it left."""
    data = tmp_path / "site"
    done = dateline("migrate", "--verbosity", "0", env=child_env(data))
    assert done.returncode == 0, done.stderr
    left = put(data / "media/images/77/7777-killed-mid-clip.png")
    fresh = put(data / "media/images/78/7878-clip-in-progress.png", age=60)
    done = dateline("worker", "--batch", env=child_env(data))
    assert done.returncode == 0, done.stderr
    assert not left.exists() and fresh.exists()
