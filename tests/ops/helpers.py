"""Real processes for the ops tests: `dateline` children in their own data dirs, and polls."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HIDDEN = re.compile(r'name="(?P<name>csrfmiddlewaretoken|started)" value="(?P<value>[^"]*)"')


def child_env(data_dir: Path, database_url: str = "", **extra: str) -> dict[str, str]:
    """A newcomer's environment: no inherited DATELINE_* or database, this data dir."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DATELINE_") and key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env.update(DATELINE_DATA_DIR=str(data_dir), DATELINE_HTTPS="false", **extra)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def dateline(*args: str, env: dict[str, str], timeout: float = 180) -> subprocess.CompletedProcess:
    """Run `dateline ARGS` to completion in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "dateline.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def poll(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    """Wait until `condition()` holds; a deadline, never a timed assertion."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what} after {seconds} s")


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2).close()  # noqa: S310 - our loopback server
    except OSError:
        return False
    return True


def integrity_check(path: Path) -> str:
    with closing(sqlite3.connect(path)) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def sqlite_rows(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute(sql, params).fetchall()


def form_fields(page: str) -> dict[str, str]:
    """The CSRF token and signed start time from a post page's comment form."""
    return {m["name"]: m["value"] for m in HIDDEN.finditer(page)}
