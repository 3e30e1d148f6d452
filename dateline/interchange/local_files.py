"""The one door through which an import reads a file from the server's disk.

An export names its images by path. A hostile one named the SQLite database, its
WAL and the secret key, and the importer copied them into `/media/` for anyone to
download; `/dev/zero` exhausted the worker's memory. So a reference is read only
when it stays inside the folders being imported (no `..`; resolved with symlinks
followed, then checked), names a regular file no larger than an image may be, and
holds an image that passes `core.rasters`. Everything else is refused with a reason
the import summary reports. An uploaded export (the admin's) may read no local file.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.conf import settings

from dateline.core.rasters import RasterRefused, check_raster


class LocalFileRefused(Exception):
    """A local file an import may not read; the message is the reason, for the summary."""


@dataclass(frozen=True)
class LocalFiles:
    """The folders an import may read images from; no folders, no local reads."""

    roots: tuple[Path, ...] = ()

    @classmethod
    def of(cls, *imported: Path) -> LocalFiles:
        """The folders of what is imported: a folder itself, or the folder a file is in."""
        roots = (Path(p) if Path(p).is_dir() else Path(p).parent for p in imported)
        return cls(tuple(dict.fromkeys(root.resolve() for root in roots)))

    def locate(self, reference: str, relative_to: Path | None = None) -> Path:
        """The real path of `reference` (relative to `relative_to`, else the first folder),
        if it is a regular file inside one of the folders; LocalFileRefused says why not."""
        if not self.roots:
            raise LocalFileRefused("local files are not read from an uploaded export")
        if not reference or "\x00" in reference:
            raise LocalFileRefused("not a file name")
        if ".." in PurePath(reference).parts:
            raise LocalFileRefused("a path with '..' is not followed")
        base = relative_to or self.roots[0]
        try:
            real = (base / reference).resolve(strict=True)
            mode = os.stat(real).st_mode
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop
            raise LocalFileRefused("file not found") from None
        if not any(real.is_relative_to(root) for root in self.roots):
            raise LocalFileRefused("outside the imported folder")
        if not stat.S_ISREG(mode):
            raise LocalFileRefused("not a regular file")
        return real

    def read_image(self, reference: str, relative_to: Path | None = None) -> tuple[bytes, str]:
        """The bytes and file extension of an image an import may read."""
        limit = settings.DATELINE_IMAGE_MAX_BYTES
        real = self.locate(reference, relative_to)
        # Opened without following a link and checked again once open, so a file swapped
        # for a link or a device after locate() is still refused; read at most one byte
        # past the limit, as the file may have grown.
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            fd = os.open(real, flags)
        except OSError:
            raise LocalFileRefused("file not found") from None
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise LocalFileRefused("not a regular file")
            data = handle.read(limit + 1)
        try:
            return data, check_raster(data)
        except RasterRefused as refused:
            raise LocalFileRefused(str(refused)) from None
