"""The database half of a backup, behind one dispatch on the vendor.

SQLite: the online backup API copies a consistent snapshot page by page while
the server keeps writing (WAL readers never block writers). PostgreSQL:
`pg_dump` in its custom format, which reads inside one repeatable-read
snapshot, and `pg_restore` to load it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections

from dateline.ops.archive import BackupError

# What "the site" is made of, for the manifest's counts and the emptiness check.
COUNTED = {
    "posts": "posts.Post",
    "labels": "posts.Label",
    "sources": "posts.Source",
    "redirects": "posts.Redirect",
    "comments": "comments.Comment",
    "snapshots": "clipping.Snapshot",
    "users": "auth.User",
}


def vendor() -> str:
    return connections[DEFAULT_DB_ALIAS].vendor


def _settings() -> dict:
    return connections[DEFAULT_DB_ALIAS].settings_dict


@dataclass(frozen=True)
class Dump:
    """A database copy on disk, with the counts and migrations read from that same copy."""

    member: str
    counts: dict[str, int]
    migrations: dict[str, str]


Execute = Callable[[str], list[tuple]]


def _tables() -> dict[str, str]:
    return {name: apps.get_model(label)._meta.db_table for name, label in COUNTED.items()}


def _read_state(execute: Execute, present: set[str]) -> tuple[dict[str, int], dict[str, str]]:
    """Counts per kind of content and the newest migration per app, through `execute`."""
    tally = {
        name: execute(f'SELECT COUNT(*) FROM "{table}"')[0][0] if table in present else 0  # noqa: S608 - our model tables
        for name, table in _tables().items()
    }
    newest: dict[str, str] = {}
    if "django_migrations" in present:
        rows = execute("SELECT app, MAX(name) FROM django_migrations GROUP BY app")
        newest = {app: name for app, name in sorted(rows)}
    return tally, newest


def counts() -> dict[str, int]:
    """Rows per kind of content in the live database (zero where tables do not exist yet)."""
    connection = connections[DEFAULT_DB_ALIAS]
    present = set(connection.introspection.table_names())
    with connection.cursor() as cursor:

        def execute(sql: str) -> list[tuple]:
            cursor.execute(sql)
            return cursor.fetchall()

        return _read_state(execute, present)[0]


def dump(target: Path) -> Dump:
    """Copy the database into `target`, reading counts from the very same snapshot."""
    if vendor() == "sqlite":
        _sqlite_backup(Path(_settings()["NAME"]), target)
        with closing(sqlite3.connect(target)) as copy:
            present = {r[0] for r in copy.execute("SELECT name FROM sqlite_master")}
            tally, newest = _read_state(lambda sql: copy.execute(sql).fetchall(), present)
        return Dump("database/dateline.sqlite3", tally, newest)
    if vendor() == "postgresql":
        return _postgres_dump(target)
    raise BackupError(f"backing up a {vendor()} database is not supported")


def _postgres_dump(target: Path) -> Dump:
    """pg_dump inside a snapshot we exported, so the counts describe exactly the dump."""
    connection = connections[DEFAULT_DB_ALIAS]
    present = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]

            def execute(sql: str) -> list[tuple]:
                cursor.execute(sql)
                return cursor.fetchall()

            tally, newest = _read_state(execute, present)
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                  f"--snapshot={snapshot_id}", "--file", str(target)])  # fmt: skip
        finally:
            cursor.execute("COMMIT")
    return Dump("database/dateline.pgdump", tally, newest)


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.exists():
        raise BackupError(f"no database at {source}: nothing to back up")
    with (
        closing(sqlite3.connect(source, timeout=60)) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)  # one step: a single consistent read snapshot of the whole file
        dst.execute("PRAGMA journal_mode=DELETE")  # self-contained: no -wal file beside it


def integrity_check(path: Path) -> str:
    with closing(sqlite3.connect(path)) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def load(member: Path) -> None:
    """Replace the configured database with the copy at `member`."""
    connections.close_all()
    if vendor() == "sqlite":
        _sqlite_load(member, Path(_settings()["NAME"]))
    elif vendor() == "postgresql":
        _postgres_load(member)
    else:
        raise BackupError(f"restoring a {vendor()} database is not supported")


def _sqlite_load(member: Path, target: Path) -> None:
    result = integrity_check(member)
    if result != "ok":
        raise BackupError(f"the database copy fails PRAGMA integrity_check: {result}")
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(member, target)


def _postgres_load(member: Path) -> None:
    _drop_public_tables()
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
          "--single-transaction", "--dbname", _settings()["NAME"], str(member)])  # fmt: skip


def _drop_public_tables() -> None:
    """Make room for the dump: a migrated-but-empty (or --force'd) database loses its tables."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [row[0] for row in cursor.fetchall()]
        if tables:
            quoted = ", ".join(f'"{name}"' for name in tables)
            cursor.execute(f"DROP TABLE IF EXISTS {quoted} CASCADE")
    connections.close_all()


def _run(argv: list[str]) -> None:
    """Run a PostgreSQL client tool against the configured database."""
    tool = shutil.which(argv[0])
    if tool is None:
        raise BackupError(f"{argv[0]} is not installed (Debian: apt-get install postgresql-client)")
    db = _settings()
    env = {**os.environ, "PGDATABASE": db["NAME"], "PGUSER": db.get("USER") or "",
           "PGHOST": db.get("HOST") or "", "PGPORT": str(db.get("PORT") or ""),
           "PGPASSWORD": db.get("PASSWORD") or ""}  # fmt: skip
    done = subprocess.run(  # noqa: S603 - fixed tool, our own arguments
        [tool, *argv[1:]], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise BackupError(f"{argv[0]} failed: {done.stderr.strip()[-2000:]}")
