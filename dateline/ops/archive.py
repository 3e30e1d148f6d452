"""The backup archive: a tar.gz of the database copy, media and snapshots, plus a manifest.

The manifest (`manifest.json`, the last member, written once every other member's
SHA-256 is known) says what the archive holds, so `restore` can refuse a damaged or
foreign file before it touches anything.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, BinaryIO

FORMAT = "dateline-backup"
VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass
class Manifest:
    """What one archive holds: `members` maps each member name to its sha256 and size."""

    created_at: str
    vendor: str
    database_member: str
    migrations: dict[str, str]
    counts: dict[str, int]
    members: dict[str, dict[str, str | int]] = field(default_factory=dict)
    includes_secret_key: bool = False
    format: str = FORMAT
    version: int = VERSION

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        try:
            raw = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BackupError(f"the manifest is not valid JSON ({error})") from None
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise BackupError("this is not a Dateline backup (no dateline-backup manifest)")
        if raw.get("version") != VERSION:
            raise BackupError(f"backup format version {raw.get('version')!r} is not supported")
        try:
            return cls(**raw)
        except TypeError as error:
            raise BackupError(f"the manifest is incomplete ({error})") from None


class _HashingReader:
    """Hands tarfile a file's bytes while hashing exactly the bytes it packs."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        return chunk


class ArchiveWriter:
    """Adds files to a tar.gz, recording each member's hash for the manifest."""

    def __init__(self, handle: IO[bytes]) -> None:
        # Closed by finish(); on failure the caller discards the partial file.
        self.tar = tarfile.open(fileobj=handle, mode="w:gz", format=tarfile.PAX_FORMAT)  # noqa: SIM115
        self.members: dict[str, dict[str, str | int]] = {}

    def add_file(self, path: Path, name: str) -> None:
        with path.open("rb") as handle:
            info = tarfile.TarInfo(name)
            info.size = _size(handle)
            info.mtime = int(path.stat().st_mtime)
            info.mode = 0o600
            reader = _HashingReader(handle)
            self.tar.addfile(info, reader)  # type: ignore[arg-type] - read() is all it needs
        self.members[name] = {"sha256": reader.digest.hexdigest(), "size": info.size}

    def finish(self, manifest: Manifest) -> None:
        manifest.members = dict(sorted(self.members.items()))
        data = manifest.to_json()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mtime = int(time.time())
        info.mode = 0o600
        self.tar.addfile(info, io.BytesIO(data))
        self.tar.close()


def _size(handle: BinaryIO) -> int:
    return os.fstat(handle.fileno()).st_size


def safe_member_name(name: str) -> PurePosixPath:
    """A member path that stays inside the restore directory (no absolute, no `..`)."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"refusing a member that would escape the data directory: {name!r}")
    return path


def read_manifest(tar: tarfile.TarFile) -> Manifest:
    try:
        member = tar.getmember(MANIFEST)
    except KeyError:
        raise BackupError("this is not a Dateline backup (no manifest.json inside)") from None
    handle = tar.extractfile(member)
    if handle is None:
        raise BackupError("manifest.json is not a regular file")
    return Manifest.from_json(handle.read())


def extract_verified(tar: tarfile.TarFile, manifest: Manifest, target: Path) -> None:
    """Write every listed member under `target`, refusing any whose hash does not match."""
    seen: set[str] = set()
    for member in tar:
        if member.name == MANIFEST:
            continue
        expected = manifest.members.get(member.name)
        if expected is None or not member.isfile():
            raise BackupError(f"{member.name!r} is in the archive but not in its manifest")
        _extract_one(tar, member, target / safe_member_name(member.name), expected)
        seen.add(member.name)
    missing = sorted(set(manifest.members) - seen)
    if missing:
        raise BackupError(f"the archive is missing {len(missing)} file(s), e.g. {missing[0]!r}")


def _extract_one(tar: tarfile.TarFile, member: tarfile.TarInfo, path: Path, expected: dict) -> None:
    source = tar.extractfile(member)
    if source is None:
        raise BackupError(f"{member.name!r} cannot be read")
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with path.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != expected.get("sha256"):
        raise BackupError(f"checksum mismatch for {member.name!r}: the archive is damaged")
