"""Snapshot files: compressed, named by content, stored once, written atomically,
never read from outside their directory."""

from __future__ import annotations

import gzip
import hashlib

import pytest

from dateline.clipping import snapshot


@pytest.fixture
def root(settings, tmp_path):
    settings.SNAPSHOT_ROOT = tmp_path / "snapshots"
    return settings.SNAPSHOT_ROOT


PAGE = b"<html><body><p>The harbour reopened at dawn.</p></body></html>" * 50


def test_a_snapshot_is_gzip_named_by_its_sha256(root):
    blob = snapshot.store(PAGE)
    digest = hashlib.sha256(PAGE).hexdigest()
    assert blob.sha256 == digest and blob.size == len(PAGE) and blob.created
    assert blob.path == f"{digest[:2]}/{digest}.gz"
    stored = (root / blob.path).read_bytes()
    assert gzip.decompress(stored) == PAGE and len(stored) < len(PAGE)
    assert snapshot.read(blob.path) == PAGE


def test_the_same_bytes_are_stored_once(root):
    first = snapshot.store(PAGE)
    second = snapshot.store(PAGE)
    assert second.path == first.path and not second.created
    assert [p.name for p in root.rglob("*") if p.is_file()] == [f"{first.sha256}.gz"]


def test_equal_content_gives_byte_identical_files(root, tmp_path, settings):
    first = (root / snapshot.store(PAGE).path).read_bytes()
    settings.SNAPSHOT_ROOT = tmp_path / "elsewhere"
    second = (tmp_path / "elsewhere" / snapshot.store(PAGE).path).read_bytes()
    assert first == second  # no timestamp in the gzip header


def test_discard_removes_only_a_file_this_clip_created(root):
    first = snapshot.store(PAGE)
    again = snapshot.store(PAGE)
    snapshot.discard(again)
    assert (root / first.path).exists()
    snapshot.discard(first)
    assert not (root / first.path).exists()


def test_no_temporary_files_are_left_behind(root):
    snapshot.store(PAGE)
    snapshot.store(b"another page")
    assert [p for p in root.rglob(".incoming-*")] == []


@pytest.mark.parametrize("path", ["../secret_key", "/etc/passwd", "ab/../../x.gz"])
def test_a_stored_path_cannot_leave_the_snapshot_directory(root, path):
    snapshot.store(PAGE)
    with pytest.raises(ValueError):
        snapshot.read(path)


def test_the_readable_copy_is_sanitized_and_keeps_the_lead_figure():
    html = snapshot.archive_html(
        '<p onclick="x()">Text<script>alert(1)</script></p>',
        "/media/images/ab/lead.png",
        'Boats at "dawn" <b>',
    )
    assert html.startswith('<figure><img src="/media/images/ab/lead.png"')
    assert '<figcaption>Boats at "dawn" &lt;b&gt;</figcaption>' in html
    assert "onclick" not in html and "<script" not in html and "<p>Text</p>" in html
