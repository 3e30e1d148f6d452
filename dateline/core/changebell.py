"""A mark beside the SQLite database that every content write changes, shared by every process.

A cache hit must know the content version, and asking the database for it cost more than
the rest of a hit. On SQLite every process that can write runs on this machine, so each
write also "rings" a 16-byte mark in a small memory-mapped file next to the database: once
inside its transaction and once after it commits. A reader that read the version while the
mark said M may keep using it for as long as the mark still says M: nothing has committed
since (a write in flight rang before it could commit, and rings again when it does).

PostgreSQL servers may run on many machines, which a file cannot reach, so there the
version is read from the database on every request, as before.
"""

from __future__ import annotations

import logging
import mmap
import os
import threading
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections

MARK_SIZE = 16
logger = logging.getLogger(__name__)


class ChangeBell:
    """The shared mark: `ring()` changes it, `mark()` reads it (one memory read)."""

    def __init__(self, path: Path, mode: int = 0o600) -> None:
        self.path = path
        self.mode = mode
        self._map: mmap.mmap | None = None
        self._lock = threading.Lock()

    def _mapped(self) -> mmap.mmap:
        if self._map is None:
            with self._lock:
                if self._map is None:
                    fd = os.open(self.path, os.O_RDWR | os.O_CREAT, self.mode)
                    try:
                        if os.fstat(fd).st_size < MARK_SIZE:
                            os.ftruncate(fd, MARK_SIZE)  # zeros; racing creators agree
                        self._map = mmap.mmap(fd, MARK_SIZE)
                    finally:
                        os.close(fd)
        return self._map

    def ring(self) -> None:
        """Another process reading the file's pages sees the new bytes at once."""
        self._mapped()[:MARK_SIZE] = os.urandom(MARK_SIZE)

    def mark(self) -> bytes:
        return self._mapped()[:MARK_SIZE]


_bells: dict[tuple[str, str], ChangeBell | None] = {}


def _bell_for(name: str) -> ChangeBell | None:
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None  # an in-memory database: no other process can write it
    path = Path(name).resolve()
    try:
        # Whoever may write the database may ring: the bell takes the database's
        # permissions, as SQLite's own -wal and -shm files do.
        mode = path.stat().st_mode & 0o666 if path.exists() else 0o644
        bell = ChangeBell(path.with_name(path.name + "-changes"), mode)
        bell.mark()
    except OSError as error:
        logger.warning("Change bell unusable (%s): the database is asked on every read", error)
        return None
    return bell


def current_bell() -> ChangeBell | None:
    """The bell for the database in use; None where a file cannot reach every writer
    (PostgreSQL, an in-memory database) or DATELINE_CHANGE_BELL turns it off."""
    if not settings.DATELINE_CHANGE_BELL:
        return None
    # The connection's own settings dict (tests rename the database in it); reading it is
    # cheaper than going through the thread-local connection on every request.
    database = connections.settings[DEFAULT_DB_ALIAS]
    key = (database["ENGINE"], str(database["NAME"]))
    try:
        return _bells[key]
    except KeyError:
        bell = _bell_for(key[1]) if connection.vendor == "sqlite" else None
        return _bells.setdefault(key, bell)
