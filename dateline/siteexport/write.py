"""Writing the mirror atomically: no reader ever sees half a file or half a build.

Each file is written to a temporary name beside it and renamed over the old one. A full
build fills a new directory and swaps it with the old in one rename (Linux's
`renameat2(RENAME_EXCHANGE)`; two renames elsewhere). Files whose bytes did not change are
not rewritten (an incremental update) or are hard-linked from the old build (a full one),
so their modification times, and the ETags nginx derives from them, stay put.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

MANIFEST = ".dateline-mirror.json"
_RENAME_EXCHANGE = 2
logger = logging.getLogger(__name__)
_AT_FDCWD = -100


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inside(relative: str) -> str:
    """`relative`, if it names a file under the mirror's folder; ValueError if not."""
    parts = relative.split("/")
    if not relative or relative.startswith("/") or "\0" in relative or ".." in parts:
        raise ValueError(f"{relative!r} is not a file name inside the mirror")
    return relative


def write_atomic(target: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename it over the target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


class MirrorWriter:
    """Writes files under `root`, skipping those whose hash `known` already records.

    `previous` (a full build) is the old mirror: an unchanged file is linked from there.
    `fresh` says `root` is a full build's own new folder, which no reader sees before the
    swap: files go straight to their names, without a temporary file and a rename each
    (17,000 files in a 10,000-post build).
    """

    def __init__(
        self, root: Path, known: dict[str, str], previous: Path | None = None, fresh: bool = False
    ) -> None:
        self.root = root
        self.known = known
        self.previous = previous
        self.fresh = fresh
        self.hashes: dict[str, str] = {}
        self.changed: list[str] = []
        self.failed: dict[str, str] = {}  # URL → why its page was skipped
        self._folders: set[Path] = set()

    def skip(self, url: str, error: Exception) -> None:
        """Record a page that could not be rendered or written; the rest go on."""
        self.failed[url] = str(error) or type(error).__name__
        logger.warning("Mirror page %s skipped: %s", url, self.failed[url])

    def _folder_for(self, target: Path) -> None:
        folder = target.parent
        if folder not in self._folders:
            folder.mkdir(parents=True, exist_ok=True)
            self._folders.add(folder)

    def _write_fresh(self, target: Path, data: bytes) -> None:
        self._folder_for(target)
        handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(handle, 0o644)  # whatever the umask: nginx reads it as another user
            stream.write(data)

    def put(self, relative: str, data: bytes) -> bool:
        """Store one file; True when its bytes changed. A name that would leave the
        mirror's folder is refused (ValueError)."""
        target = self.root / inside(relative)
        sha = digest(data)
        if self.known.get(relative) == sha:
            if self.previous is None:
                self.hashes[relative] = sha
                return False
            with contextlib.suppress(OSError):
                self._folder_for(target)
                os.link(self.previous / relative, target)
                self.hashes[relative] = sha
                return False
        if self.fresh:
            self._write_fresh(target, data)
        else:
            write_atomic(target, data)
        self.hashes[relative] = sha  # only once on disk: a failed write is retried
        self.changed.append(relative)
        return True

    def same_copy(self, relative: str, source: Path) -> bool:
        """A copied file whose mirror copy is as large and newer is taken as unchanged,
        without reading it (media folders can be large)."""
        sha = self.known.get(relative)
        mirrored = (self.previous or self.root) / relative
        try:
            ours, theirs = mirrored.stat(), source.stat()
        except OSError:
            return False
        if sha is None or ours.st_size != theirs.st_size or ours.st_mtime < theirs.st_mtime:
            return False
        if self.previous is not None:
            (self.root / relative).parent.mkdir(parents=True, exist_ok=True)
            os.link(mirrored, self.root / relative)
        self.hashes[relative] = sha
        return True

    def delete(self, relative: str) -> None:
        # A name outside the mirror, or a folder in a file's place, has nothing to remove.
        with contextlib.suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError,
                                 ValueError):  # fmt: skip
            (self.root / inside(relative)).unlink()
        self.changed.append(relative)


def manifest_bytes(root: Path) -> bytes | None:
    try:
        return (root / MANIFEST).read_bytes()
    except FileNotFoundError:
        return None


def parse_manifest(data: bytes | None) -> dict | None:
    """The manifest, or None when there is none or it is damaged (then a full build)."""
    try:
        found = json.loads(data) if data is not None else None
    except ValueError:
        return None
    if not isinstance(found, dict) or not isinstance(found.get("files", {}), dict):
        return None
    return found


def read_manifest(root: Path) -> dict | None:
    return parse_manifest(manifest_bytes(root))


def write_manifest(root: Path, manifest: dict) -> bytes:
    """Replace the manifest atomically; the bytes written (an update remembers them)."""
    data = json.dumps(manifest, separators=(",", ":")).encode()
    write_atomic(root / MANIFEST, data)
    return data


def new_build_dir(root: Path) -> Path:
    root.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}.build-"))


def _exchange(first: Path, second: Path) -> bool:
    """Swap two directories in one system call, where the C library offers it."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                       _RENAME_EXCHANGE)  # fmt: skip
    return result == 0


def swap_in(build: Path, root: Path) -> None:
    """Make `build` the mirror at `root` and remove the old one."""
    os.chmod(build, 0o755)  # noqa: S103 - a web root: nginx's user must read it (mkdtemp: 0700)
    if not root.exists():
        os.rename(build, root)
        return
    if not _exchange(build, root):
        retired = build.with_name(build.name + "-old")
        os.rename(root, retired)
        os.rename(build, root)
        build = retired
    shutil.rmtree(build, ignore_errors=True)


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """One writer at a time per mirror, across processes (several `serve` workers)."""
    root.parent.mkdir(parents=True, exist_ok=True)
    with open(root.parent / f".{root.name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def copy_tree(source: Path, writer: MirrorWriter, prefix: str) -> None:
    """Copy static or media files; unchanged ones (same size and hash) are skipped."""
    if not source.is_dir():
        return
    for path in sorted(source.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            relative = f"{prefix}/{path.relative_to(source).as_posix()}"
            if not writer.same_copy(relative, path):
                writer.put(relative, path.read_bytes())
