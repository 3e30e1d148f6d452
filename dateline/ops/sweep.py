"""Remove media and snapshot files that nothing in the database names any more.

A clip or an import with `--fetch-images` writes its files before the transaction that
stores the rows naming them, and removes them again if it fails. A process killed in
between (kill -9, power loss) cannot clean up, so its files stay behind, unreferenced.
The sweeper finds those: a file is an orphan when no row names it, and it is removed
only when it is also older than a grace period, because a clip or import in progress
has files that no committed row names yet. Writers that reuse a file already on disk
(content-addressed names: the same bytes are stored once) call
`core.mediastore.keep_fresh` so that a reused orphan is young again until the rows naming
it commit.

What counts as a reference is read from every Dateline model: file fields hold media
names, and any text column can hold a media URL (`/media/images/…` in a body, an
archived copy, a search document); Snapshot.path names snapshot files. Only the folders
Dateline writes are swept: `media/images/` and `snapshots/`.
"""

from __future__ import annotations

import html
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

from django.apps import apps
from django.conf import settings
from django.db import models

DEFAULT_GRACE = timedelta(hours=24)  # longer than any clip, or import with --fetch-images
MEDIA_FOLDERS = ("images",)


@dataclass
class SweepReport:
    """What a sweep removed (or would remove, on a dry run), and what it kept."""

    removed: list[Path] = field(default_factory=list)
    removed_bytes: int = 0
    kept_fresh: int = 0  # orphans still inside the grace period
    referenced: int = 0


def sweep(grace: timedelta = DEFAULT_GRACE, *, dry_run: bool = False) -> SweepReport:
    """Remove unreferenced files older than `grace` from media/images and snapshots."""
    report = SweepReport()
    cutoff = time.time() - grace.total_seconds()
    media_root, snapshot_root = Path(settings.MEDIA_ROOT), Path(settings.SNAPSHOT_ROOT)
    # Files first, references second: a file written after the reference scan is not in
    # this list, so a clip that commits meanwhile can never lose a file to the sweep.
    found = [(media_root, path) for folder in MEDIA_FOLDERS for path in _files(media_root / folder)]
    found += [(snapshot_root, path) for path in _files(snapshot_root)]
    old = {path for _root, path in found if _older_than(path, cutoff)}
    refs = {media_root: referenced_media(), snapshot_root: referenced_snapshots()}
    for root, path in found:
        if path.relative_to(root).as_posix() in refs[root]:
            report.referenced += 1
        elif path not in old or not _older_than(path, cutoff):  # young, or reused since
            report.kept_fresh += 1
        else:
            report.removed_bytes += _size(path)
            if not dry_run:
                path.unlink(missing_ok=True)
            report.removed.append(path)
    return report


def referenced_media() -> set[str]:
    """Every media name a row holds: file fields, and media URLs in any text column."""
    names: set[str] = set()
    media_url = settings.MEDIA_URL
    url = re.compile(re.escape(media_url) + r"""([^\s"'<>()\\]+)""")
    for model in _our_models():
        for column in model._meta.concrete_fields:
            manager = model._base_manager
            if isinstance(column, models.FileField):
                values = manager.exclude(**{column.name: ""}).values_list(column.name, flat=True)
                names.update(v for v in values.iterator() if v)
            elif isinstance(column, models.CharField | models.TextField):
                hits = manager.filter(**{f"{column.name}__contains": media_url})
                for text in hits.values_list(column.name, flat=True).iterator():
                    names.update(_media_name(m) for m in url.findall(html.unescape(text)))
    return names


def referenced_snapshots() -> set[str]:
    """Every snapshot file a Snapshot row names (paths relative to SNAPSHOT_ROOT)."""
    snapshot = apps.get_model("clipping", "Snapshot")
    return set(snapshot._base_manager.values_list("path", flat=True).iterator())


def _media_name(found: str) -> str:
    """`/media/NAME?x#y` as written in HTML → NAME as stored (URLs are percent-encoded)."""
    return unquote(found.split("#", 1)[0].split("?", 1)[0])


def _our_models() -> Iterator[type[models.Model]]:
    for model in apps.get_models():
        if model.__module__.startswith("dateline."):
            yield model


def _files(root: Path) -> Iterator[Path]:
    """Regular files under `root`; symbolic links are neither followed nor removed."""
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path


def _older_than(path: Path, cutoff: float) -> bool:
    try:
        return path.stat().st_mtime < cutoff
    except FileNotFoundError:
        return False


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0
