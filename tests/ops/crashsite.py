"""A scratch site for the kill -9 tests, on the database the test run uses, and its check.

On SQLite a site is a data dir whose database file is copied from one migrated template.
On PostgreSQL (DATABASE_URL set) it is a data dir plus a scratch database created from a
migrated template database, both named after the configured database so parallel runs
with other names never collide. `problems()` is what a crash must never cause:

- SQLite: `PRAGMA integrity_check` and `PRAGMA foreign_key_check`;
- PostgreSQL: amcheck's `verify_heapam` on every table and `bt_index_check` on every
  B-tree index (the server's own page and index checks), no invalid index, and every
  foreign key checked row by row (Django's are deferred to commit, so this shows that no
  half-done transaction left a row pointing nowhere).
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection

from tests.ops.helpers import child_env, dateline, integrity_check, sqlite_rows


@dataclass
class Site:
    """A data dir and its database, as `dateline` children see them through `env`."""

    data: Path
    env: dict[str, str]
    database_url: str = ""  # empty: SQLite in the data dir

    @property
    def vendor(self) -> str:
        return "postgresql" if self.database_url else "sqlite"

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Run one query (placeholders written `?`) in a connection of its own."""
        if not self.database_url:
            return sqlite_rows(self.data / "dateline.sqlite3", sql, params)
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as db:
            return db.execute(sql.replace("?", "%s"), params).fetchall()

    def write(self, *statements: str) -> None:
        """Run statements in one committed transaction (a test's way to damage the site)."""
        if not self.database_url:
            with closing(sqlite3.connect(self.data / "dateline.sqlite3")) as db, db:
                for statement in statements:
                    db.execute(statement)
            return
        import psycopg

        with psycopg.connect(self.database_url) as db, db.transaction():
            for statement in statements:
                db.execute(statement)

    def count(self, table: str) -> int:
        return self.rows(f"SELECT COUNT(*) FROM {table}")[0][0]  # noqa: S608 - our table names

    def problems(self) -> list[str]:
        """Everything wrong with the database's structure; [] when it is sound."""
        if not self.database_url:
            db = self.data / "dateline.sqlite3"
            found = [] if integrity_check(db) == "ok" else [integrity_check(db)]
            with closing(sqlite3.connect(db)) as conn:
                found += [f"foreign key: {row}" for row in conn.execute("PRAGMA foreign_key_check")]
            return found
        return _postgres_problems(self.database_url)


def _postgres_problems(url: str) -> list[str]:
    import psycopg

    found: list[str] = []
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        tables = [t for (t,) in db.execute(_TABLES)]
        for table in tables:
            for row in db.execute("SELECT * FROM verify_heapam(%s::regclass)", (table,)):
                found.append(f"heap {table}: {row}")
        indexes = db.execute(
            "SELECT c.oid::regclass::text, i.indisvalid FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND a.amname = 'btree'"
        ).fetchall()
        for index, valid in indexes:
            if not valid:
                found.append(f"index {index} is invalid")
                continue
            try:
                db.execute("SELECT bt_index_check(%s::regclass, true)", (index,))
            except psycopg.Error as error:
                found.append(f"index {index}: {error}")
        for table, column, target, target_column in db.execute(_FOREIGN_KEYS).fetchall():
            orphans = db.execute(
                f'SELECT COUNT(*) FROM "{table}" t WHERE t."{column}" IS NOT NULL AND NOT EXISTS'  # noqa: S608
                f' (SELECT 1 FROM "{target}" r WHERE r."{target_column}" = t."{column}")'
            ).fetchone()[0]
            if orphans:
                found.append(f"{orphans} rows of {table}.{column} name no {target}")
    return found


_TABLES = """
SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'r'
"""
_FOREIGN_KEYS = """
SELECT src.relname, sa.attname, dst.relname, da.attname
FROM pg_constraint k
JOIN pg_class src ON src.oid = k.conrelid
JOIN pg_class dst ON dst.oid = k.confrelid
JOIN pg_namespace n ON n.oid = src.relnamespace
JOIN pg_attribute sa ON sa.attrelid = k.conrelid AND sa.attnum = k.conkey[1]
JOIN pg_attribute da ON da.attrelid = k.confrelid AND da.attnum = k.confkey[1]
WHERE k.contype = 'f' AND n.nspname = 'public' AND array_length(k.conkey, 1) = 1
"""


def postgres_base() -> tuple[str, str] | None:
    """(server URL without a database, configured database name), or None on SQLite."""
    if connection.vendor != "postgresql":
        return None
    params: dict[str, Any] = connection.settings_dict
    password = params["PASSWORD"] or ""
    base = f"postgres://{params['USER']}:{password}@{params['HOST']}:{params['PORT'] or 5432}"
    return base, params["NAME"]


def _admin(base: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        for statement in statements:
            admin.execute(statement)


@contextmanager
def template(scratch: Path) -> Iterator[Site]:
    """One migrated database for the module (migrating is the slow part)."""
    pg = postgres_base()
    url = ""
    if pg:
        base, name = pg
        url = f"{base}/{name}_crash_template"
        _admin(base, f'DROP DATABASE IF EXISTS "{name}_crash_template" WITH (FORCE)',
               f'CREATE DATABASE "{name}_crash_template"')  # fmt: skip
    site = Site(scratch, child_env(scratch, url), url)
    done = dateline("migrate", "--verbosity", "0", env=site.env)
    assert done.returncode == 0, done.stderr
    try:
        yield site
    finally:
        if pg:
            _admin(pg[0], f'DROP DATABASE IF EXISTS "{pg[1]}_crash_template" WITH (FORCE)')


@contextmanager
def fresh_site(template_site: Site, data: Path) -> Iterator[Site]:
    """A new site holding a copy of the migrated template."""
    data.mkdir()
    pg = postgres_base()
    if not pg:
        shutil.copy(template_site.data / "dateline.sqlite3", data / "dateline.sqlite3")
        yield Site(data, child_env(data))
        return
    base, name = pg
    scratch = f"{name}_crash"
    _admin(base, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)',
           f'CREATE DATABASE "{scratch}" TEMPLATE "{name}_crash_template"')  # fmt: skip
    url = f"{base}/{scratch}"
    try:
        yield Site(data, child_env(data, url), url)
    finally:
        _admin(base, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
