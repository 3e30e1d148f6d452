"""`dateline clip URL|FILE.html [--url URL] [--publish] [--label L…]`, run synchronously."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dateline.clipping.models import Snapshot
from dateline.posts.models import Post, Source
from tests.clipping.clipsite import (  # noqa: F401 - fixtures
    FERRY,
    FERRY_TITLE,
    clip_storage_fixture,
    news_site_fixture,
    stored_files,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, capsys) -> tuple[str, str]:
    call_command("clip", *args)
    captured = capsys.readouterr()
    return captured.out.strip(), captured.err.strip()


def test_clipping_a_url_prints_where_the_draft_can_be_finished(news_site, clip_storage, capsys):
    out, _ = run(news_site.url("/stories/rope-ferry"), capsys=capsys)
    post = Post.objects.get()
    assert out == f"(draft) /desk/posts/{post.pk}/"
    assert post.status == Post.Status.DRAFT and post.title == FERRY_TITLE
    assert post.source.snapshots.count() == 1


def test_publish_with_labels_prints_the_new_posts_path(news_site, clip_storage, capsys):
    url = news_site.url("/stories/rope-ferry")
    out, _ = run(url, "--publish", "--label", "Ferries", "--label", "Ashcombe", capsys=capsys)
    post = Post.objects.get()
    assert post.is_visible and out == post.path
    assert out.endswith("/valley-village-brings-its-rope-ferry-back-into-service.html")
    assert sorted(label.name for label in post.labels.all()) == ["Ashcombe", "Ferries"]


def test_a_saved_html_file_is_clipped_with_its_address(news_site, clip_storage, tmp_path, capsys):
    saved = tmp_path / "ferry.html"
    saved.write_bytes(FERRY)
    url = "https://gazette.example/stories/rope-ferry"
    out, _ = run(str(saved), "--url", url, "--excerpt", "--publish", capsys=capsys)
    post = Post.objects.get(path=out)
    assert post.source.url == url and post.source.http_status is None
    assert post.body_html.startswith("<blockquote>")
    assert not any(path.startswith("/stories") for path, _ in news_site.requests)


def test_a_second_clip_notes_the_first(news_site, clip_storage, capsys):
    first, _ = run(news_site.url("/stories/rope-ferry"), "--publish", capsys=capsys)
    _, err = run(news_site.url("/stories/rope-ferry"), capsys=capsys)
    assert err == f"Note: this story was clipped before as '{first}'."


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/stories/nowhere"], "/stories/nowhere: no such file, and not a web address."),
        (["http://10.0.0.8/story"], "That address is not allowed"),
        (["http://{server}/nothing"], "The page was not found (HTTP 404). Nothing was stored."),
        (["http://{server}/stories/empty"], "No article found on that page. Nothing was stored."),
        (["http://{server}/stories/rope-ferry", "--url", "https://x.example/"], "--url goes"),
    ],
)
def test_failures_explain_themselves_and_store_nothing(news_site, clip_storage, args, message):
    server = f"{news_site.host}:{news_site.port}"
    with pytest.raises(CommandError) as error:
        call_command("clip", *(arg.format(server=server) for arg in args))
    assert message in str(error.value)
    assert (Post.objects.count(), Source.objects.count(), Snapshot.objects.count()) == (0, 0, 0)
    assert stored_files(clip_storage) == []


def test_a_file_needs_its_address(clip_storage, tmp_path):
    saved = tmp_path / "ferry.html"
    saved.write_bytes(FERRY)
    with pytest.raises(CommandError, match="Give the story's address with --url"):
        call_command("clip", str(saved))


def test_the_dateline_command_offers_clip(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "dateline.cli", "clip", "--help"],
        env={"DATELINE_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "URL|FILE.html" in result.stdout and "--publish" in result.stdout
