"""Write media files under content-addressed names, whole or not at all.

Django's file storage writes straight to the final name, so a process killed mid-write
left a truncated image under the name its full bytes would have, and every later clip of
the same image reused it (the name existed). Here a file is written beside its final name
and renamed into place, and an existing file is reused only if it holds the same bytes.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage


def store_media(name: str, data: bytes) -> bool:
    """Store `data` as media `name`; True if written now, False if already there (then it
    is marked fresh, so `dateline media sweep` keeps it until the rows naming it commit)."""
    path = Path(default_storage.path(name))
    if _holds(path, data) and keep_fresh(path):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp_name, settings.FILE_UPLOAD_PERMISSIONS or 0o644)  # nginx reads media
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return True


def keep_fresh(path: str | os.PathLike[str]) -> bool:
    """Mark a file on disk as just used; False if it is not there (store it anew).

    A clip that reuses an existing file calls this before relying on it, so the sweeper's
    grace period (`ops.sweep`) protects the file until the clip's rows commit.
    """
    try:
        os.utime(path)
    except FileNotFoundError:
        return False
    return True


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except FileNotFoundError:
        return False
