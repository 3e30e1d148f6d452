"""Snapshots on disk: the fetched bytes, gzip-compressed, named by their SHA-256.

Content addressing makes storage idempotent: clipping the same page twice
stores one file that both Snapshot rows point at. Files are written beside
their final name and renamed into place, so a reader never sees half a file.
The readable archived copy is built here too, from the sanitized article.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.html import escape

from dateline.core.mediastore import keep_fresh
from dateline.core.sanitize import sanitize_post_html


@dataclass(frozen=True)
class StoredBlob:
    """Where a snapshot's bytes went, and whether this call created the file."""

    sha256: str
    path: str  # relative to snapshot_root()
    size: int
    created: bool


def snapshot_root() -> Path:
    """SNAPSHOT_ROOT: the data dir's `snapshots/`, beside media (tests point it elsewhere)."""
    return Path(settings.SNAPSHOT_ROOT)


def store(data: bytes) -> StoredBlob:
    """Store `data` compressed under its hash; the same bytes are kept once."""
    digest = hashlib.sha256(data).hexdigest()
    relative = f"{digest[:2]}/{digest}.gz"
    target = snapshot_root() / relative
    if keep_fresh(target):  # reused: fresh again, so `dateline media sweep` keeps it
        return StoredBlob(digest, relative, len(data), created=False)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(gzip.compress(data, mtime=0))
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return StoredBlob(digest, relative, len(data), created=True)


def read(relative: str) -> bytes:
    """The original bytes of a stored snapshot."""
    return gzip.decompress(_safe_path(relative).read_bytes())


def discard(blob: StoredBlob) -> None:
    """Undo `store` after a failed clip, but never remove a file that was already there."""
    if blob.created:
        _safe_path(blob.path).unlink(missing_ok=True)


def _safe_path(relative: str) -> Path:
    """A path inside the snapshot root; a stored path can never climb out of it."""
    root = snapshot_root().resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValueError(f"snapshot path outside the snapshot directory: {relative!r}")
    return path


def archive_html(body_html: str, image_url: str | None, caption: str | None) -> str:
    """The readable copy: lead figure and article body, sanitized once more."""
    figure = ""
    if image_url:
        figcaption = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
        alt = escape(caption or "")
        figure = f'<figure><img src="{escape(image_url)}" alt="{alt}">{figcaption}</figure>'
    return sanitize_post_html(figure + body_html)
