"""`dateline backup`: one archive with a consistent database copy, media and snapshots.

The database is copied first and the files after: media and snapshot files are
written before the rows that name them, and never rewritten, so every file the
copied rows point at is already on disk when the files are packed. (Files added
in between are packed too and are harmless.)

The secret key stays out unless asked for: a stolen archive should not also let
its holder forge sessions and signed tokens. Losing it costs little (authors log
in again, comment rate limits start afresh), so restoring without it is normal.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from dateline.ops import database
from dateline.ops.archive import ArchiveWriter, BackupError, Manifest

TEMP_PREFIX = ".incoming-"  # files being written (snapshot.store); never complete


def file_trees() -> dict[str, Path]:
    """Archive folder → directory on disk, for the files a site is made of."""
    return {"media": Path(settings.MEDIA_ROOT), "snapshots": Path(settings.SNAPSHOT_ROOT)}


def site_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Every complete regular file under `root`, with its path relative to it, in order."""
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and not path.name.startswith(TEMP_PREFIX):
            yield path, path.relative_to(root).as_posix()


def create_backup(target: Path, *, include_secret_key: bool = False) -> Manifest:
    """Write the archive to `target` (atomically: a partial file is renamed at the end)."""
    target = target.expanduser().resolve()
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent} does not exist")
    partial = target.with_name(f".{target.name}.partial")
    with tempfile.TemporaryDirectory(prefix=".dateline-backup-", dir=target.parent) as staging:
        dumped = database.dump(Path(staging) / "database")
        manifest = Manifest(
            created_at=timezone.now().isoformat(),
            vendor=database.vendor(),
            database_member=dumped.member,
            migrations=dumped.migrations,
            counts=dumped.counts,
            includes_secret_key=include_secret_key,
        )
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                _pack(ArchiveWriter(handle), Path(staging) / "database", manifest)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return manifest


def _pack(writer: ArchiveWriter, dumped: Path, manifest: Manifest) -> None:
    writer.add_file(dumped, manifest.database_member)
    for folder, root in file_trees().items():
        for path, relative in site_files(root):
            writer.add_file(path, f"{folder}/{relative}")
    if manifest.includes_secret_key:
        key_file = Path(settings.DATA_DIR) / "secret_key"
        if not key_file.exists():
            raise BackupError(
                "no secret_key file in the data dir (the key comes from DATELINE_SECRET_KEY; "
                "keep that value with your other secrets instead)"
            )
        writer.add_file(key_file, "secret_key")
    writer.finish(manifest)
