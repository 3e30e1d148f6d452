"""Media files are written whole or not at all, and a truncated leftover is never reused."""

import os
import stat
import time

from django.core.files.storage import default_storage

from dateline.core.mediastore import store_media

NAME = "images/ab/abcdef-harbour.png"
DATA = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


def test_a_new_file_is_written_readable_and_reported(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert store_media(NAME, DATA) is True
    path = tmp_path / NAME
    assert path.read_bytes() == DATA
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # nginx serves media as another user
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".incoming-")]


def test_the_same_bytes_are_reused_and_marked_fresh(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    store_media(NAME, DATA)
    path = tmp_path / NAME
    week_ago = time.time() - 7 * 24 * 3600
    os.utime(path, (week_ago, week_ago))
    assert store_media(NAME, DATA) is False
    assert path.stat().st_mtime > week_ago + 3600  # the sweeper's grace period starts again


def test_a_truncated_leftover_under_the_name_is_replaced(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    path = tmp_path / NAME
    path.parent.mkdir(parents=True)
    path.write_bytes(DATA[:100])  # what a kill -9 mid-write used to leave
    assert store_media(NAME, DATA) is True
    assert path.read_bytes() == DATA
    assert default_storage.path(NAME) == str(path)
