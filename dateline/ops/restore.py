"""`dateline restore`: an archive from `dateline backup` back into an empty site.

Nothing is touched until the whole archive has been unpacked beside the data
and every member matched its SHA-256 in the manifest. A site that already holds
posts, comments, users or files is refused unless `force` says to replace it.
"""

from __future__ import annotations

import os
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from dateline.ops import database
from dateline.ops.archive import BackupError, Manifest, extract_verified, read_manifest
from dateline.ops.backup import file_trees, site_files


def what_is_there() -> list[str]:
    """What restoring would overwrite, in words ("3 posts", "12 files in media")."""
    found = [f"{n} {kind}" for kind, n in database.counts().items() if n]
    for folder, root in file_trees().items():
        files = sum(1 for _ in site_files(root))
        if files:
            found.append(f"{files} files in {folder}")
    return found


def restore_backup(archive: Path, *, force: bool = False) -> Manifest:
    """Restore `archive` into the configured database and data dir; return its manifest."""
    try:
        tar = tarfile.open(archive, "r:gz")  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{archive}: not a readable tar.gz archive ({error})") from None
    with tar:
        manifest = read_manifest(tar)
        _check_target(manifest, force=force)
        data_dir = Path(settings.DATA_DIR)
        with tempfile.TemporaryDirectory(prefix=".restore-", dir=data_dir) as staging:
            extract_verified(tar, manifest, Path(staging))
            _install(Path(staging), manifest)
    call_command("migrate", interactive=False, verbosity=0)  # a copy from older code catches up
    _check_counts(manifest)
    return manifest


def _check_target(manifest: Manifest, *, force: bool) -> None:
    if manifest.vendor != database.vendor():
        raise BackupError(
            f"this backup holds a {manifest.vendor} database but this site uses "
            f"{database.vendor()}; restore it with the same kind of database"
        )
    found = what_is_there()
    if found and not force:
        raise BackupError(
            "this site is not empty (" + ", ".join(found) + "); restore into a new data dir "
            "and database, or add --force to replace everything"
        )


def _install(staging: Path, manifest: Manifest) -> None:
    """Put the verified copy in place: the database first, then the file trees."""
    database.load(staging / manifest.database_member)
    for folder, root in file_trees().items():
        unpacked = staging / folder
        if root.exists():
            shutil.rmtree(root)
        root.parent.mkdir(parents=True, exist_ok=True)
        if unpacked.is_dir():
            shutil.move(unpacked, root)  # a rename: staging is inside the data dir
        else:
            root.mkdir()
    if manifest.includes_secret_key:
        _install_secret_key(staging / "secret_key")


def _install_secret_key(unpacked: Path) -> None:
    """Write the key file (0600) atomically; DATELINE_SECRET_KEY still wins when set."""
    target = Path(settings.DATA_DIR) / "secret_key"
    unpacked.chmod(0o600)
    os.replace(unpacked, target)


def _check_counts(manifest: Manifest) -> None:
    restored = database.counts()
    if restored != manifest.counts:
        raise BackupError(f"restored counts {restored} differ from the backup's {manifest.counts}")
