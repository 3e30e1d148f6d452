"""`dateline backup` while the blog is being written to, then `dateline restore` into a
new, empty site (another data dir; on PostgreSQL a scratch database) gives back every
post, label, comment and file, byte for byte."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from dateline.clipping import snapshot
from dateline.clipping.models import Snapshot
from dateline.comments.models import Comment
from dateline.posts.models import Label, Post, Source
from tests.conftest import png_bytes
from tests.ops.helpers import child_env, dateline, integrity_check, sqlite_rows

TABLES = ("posts_post", "posts_label", "posts_post_labels", "posts_source",
          "comments_comment", "clipping_snapshot", "posts_redirect")  # fmt: skip
NONCE = "written-during-backup-"
pytestmark = pytest.mark.django_db(transaction=True)  # rows other processes can see


def build_blog(tmp_path: Path, settings) -> None:
    """Posts with lead images and labels, a threaded conversation, a clipped source."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SNAPSHOT_ROOT = tmp_path / "snapshots"
    iran, iraq = Label.objects.create(name="Iran"), Label.objects.create(name="Irak ünïcode")
    for n in range(5):
        post = Post(title=f"Story {n}", body_source=f"Body **{n}**", status=Post.Status.PUBLISHED)
        post.lead_image.save(f"lead-{n}.png", ContentFile(png_bytes((n * 40, 90, 160))), save=False)
        post.lead_image_caption = f"Caption {n}"
        post.save()
        post.labels.add(iran, *([iraq] if n % 2 else []))
        top = Comment.objects.create(post=post, author_name="Ann", body="First!",
                                     created_at=timezone.now(), status="approved")  # fmt: skip
        Comment.objects.create(post=post, parent=top, author_name="Bo", body="A reply",
                               created_at=timezone.now(), status="approved")  # fmt: skip
    blob = snapshot.store(b"<html><p>the page as fetched</p></html>")
    source = Source.objects.create(url="https://news.example/story", publisher="News")
    Snapshot.objects.create(source=source, sha256=blob.sha256, path=blob.path, size=blob.size,
                            url=source.url, article_html="<p>the page</p>")  # fmt: skip
    Post.objects.filter(title="Story 0").update(source=source)


def keep_commenting(stop: threading.Event, written: list[int]) -> None:
    """A reader commenting as fast as the database lets them, until told to stop."""
    post = Post.objects.first()
    try:
        while not stop.is_set():
            comment = Comment.objects.create(
                post=post,
                author_name="Busy",
                created_at=timezone.now(),
                body=f"{NONCE}{len(written)}",
            )
            written.append(comment.pk)
    finally:
        connection.close()


def file_hashes(*roots: Path) -> dict[str, str]:
    return {
        f"{root.name}/{path.relative_to(root)}": hashlib.sha256(path.read_bytes()).hexdigest()
        for root in roots
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def target(tmp_path: Path) -> Iterator[tuple[dict[str, str], callable]]:
    """An empty site to restore into, and a way to read rows from it (and from the source)."""
    data = tmp_path / "restored"
    if connection.vendor == "sqlite":
        source_db = Path(connection.settings_dict["NAME"])
        yield (
            child_env(data),
            lambda which, sql: sqlite_rows(
                source_db if which == "source" else data / "dateline.sqlite3", sql
            ),
        )
        return
    import psycopg

    params = connection.settings_dict
    scratch = f"{params['NAME']}_restored"
    base = (
        f"postgres://{params['USER']}:{params['PASSWORD'] or ''}@{params['HOST']}:{params['PORT']}"
    )
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        admin.execute(f'CREATE DATABASE "{scratch}"')

    def rows(which: str, sql: str) -> list[tuple]:
        name = params["NAME"] if which == "source" else scratch
        with psycopg.connect(f"{base}/{name}") as db:
            return db.execute(sql).fetchall()

    try:
        yield child_env(data, f"{base}/{scratch}"), rows
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def test_backup_during_writes_restores_an_identical_site(tmp_path, settings, target):
    build_blog(tmp_path, settings)
    stop, written = threading.Event(), []
    writer = threading.Thread(target=keep_commenting, args=(stop, written))
    writer.start()
    try:
        while len(written) < 20:  # the backup starts while comments are being written
            stop.wait(0.01)
        call_command("backup", str(tmp_path / "site.tar.gz"), verbosity=0)
    finally:
        stop.set()
        writer.join(timeout=60)
    env, rows = target
    done = dateline("restore", str(tmp_path / "site.tar.gz"), env=env)
    assert done.returncode == 0, done.stderr
    for table in TABLES:
        order = "post_id, label_id" if table == "posts_post_labels" else "id"
        sql = f"SELECT * FROM {table} ORDER BY {order}"  # noqa: S608 - our table names
        source, restored = rows("source", sql), rows("restored", sql)
        if table == "comments_comment":
            # A consistent copy: exactly the comments committed before some moment, no gaps.
            assert len(restored) >= 10 + 20
            source = source[: len(restored)]
        assert restored == source, table
    restored_dir = Path(env["DATELINE_DATA_DIR"])
    assert file_hashes(restored_dir / "media", restored_dir / "snapshots") == file_hashes(
        tmp_path / "media", tmp_path / "snapshots"
    )
    if connection.vendor == "sqlite":
        assert integrity_check(restored_dir / "dateline.sqlite3") == "ok"


def test_restore_refuses_a_site_with_content_unless_forced(tmp_path, settings, target):
    build_blog(tmp_path, settings)
    call_command("backup", str(tmp_path / "site.tar.gz"), verbosity=0)
    env, rows = target
    assert dateline("restore", str(tmp_path / "site.tar.gz"), env=env).returncode == 0
    again = dateline("restore", str(tmp_path / "site.tar.gz"), env=env)
    assert again.returncode != 0 and "not empty (5 posts" in again.stderr
    forced = dateline("restore", "--force", str(tmp_path / "site.tar.gz"), env=env)
    assert forced.returncode == 0, forced.stderr
    assert len(rows("restored", "SELECT id FROM posts_post")) == 5


def test_restore_refuses_a_damaged_archive_and_changes_nothing(tmp_path, settings, target):
    build_blog(tmp_path, settings)
    good = tmp_path / "site.tar.gz"
    call_command("backup", str(good), verbosity=0)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(good) as source, tarfile.open(damaged, "w:gz") as out:
        for member in source:
            data = source.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data[:-1] + bytes([data[-1] ^ 1])  # one flipped bit in one image
            out.addfile(member, io.BytesIO(data))
    env, _ = target
    done = dateline("restore", str(damaged), env=env)
    assert done.returncode != 0 and "checksum mismatch" in done.stderr
    media = Path(env["DATELINE_DATA_DIR"]) / "media"
    assert not media.exists() or not any(media.rglob("*.png"))


def test_the_manifest_lists_every_member_with_its_hash(tmp_path, settings):
    build_blog(tmp_path, settings)
    call_command("backup", str(tmp_path / "site.tar.gz"), verbosity=0)
    with tarfile.open(tmp_path / "site.tar.gz") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        names = {m.name for m in archive if m.name != "manifest.json"}
        for name in names:
            data = archive.extractfile(name).read()
            assert manifest["members"][name]["sha256"] == hashlib.sha256(data).hexdigest()
    assert set(manifest["members"]) == names
    assert manifest["counts"]["posts"] == 5 and manifest["counts"]["comments"] == 10
    assert manifest["vendor"] == connection.vendor and manifest["includes_secret_key"] is False
    assert "secret_key" not in names
