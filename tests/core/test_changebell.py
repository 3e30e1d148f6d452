"""The change bell lets a cache hit skip the database, and never at the price of staleness."""

import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dateline.core import versioning
from dateline.core.changebell import ChangeBell, current_bell
from tests.serving.wsgi import call_wsgi

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the bell serves SQLite; PostgreSQL is asked each time"
)
RING_ELSEWHERE = (
    "import sys; from pathlib import Path; from dateline.core.changebell import ChangeBell; "
    "ChangeBell(Path(sys.argv[1])).ring()"
)


def test_a_ring_in_another_process_is_seen_at_once(tmp_path):
    bell = ChangeBell(tmp_path / "blog.sqlite3-changes")
    before = bell.mark()
    subprocess.run([sys.executable, "-c", RING_ELSEWHERE, str(bell.path)], check=True)
    assert bell.mark() != before
    assert len(bell.mark()) == 16


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_the_version_is_remembered_until_a_write_commits(make_post):
    make_post(title="First")
    first = versioning.current_version_and_time()
    with CaptureQueriesContext(connection) as queries:
        assert versioning.current_version_and_time() == first
    assert len(queries) == 0
    make_post(title="Second")
    assert versioning.remembered_version() is None
    assert versioning.current_version_and_time()[0] != first[0]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_is_never_remembered(make_post):
    make_post(title="Kept")
    committed = versioning.current_version_and_time()[0]
    with pytest.raises(RuntimeError), transaction.atomic():
        make_post(title="Rolled back")
        inside = versioning.current_version_and_time()[0]
        assert inside != committed  # this transaction sees its own write...
        raise RuntimeError
    assert versioning.current_version_and_time()[0] == committed  # ...nobody else ever does


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_the_bell_rings_again_when_the_write_commits(make_post):
    bell = current_bell()
    assert bell is not None  # SQLite file database in the tests
    marks = []
    with transaction.atomic():
        make_post(title="Pending")
        marks.append(bell.mark())
    marks.append(bell.mark())
    assert marks[0] != marks[1]


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_fast_path_answers_repeat_reads_without_the_database(fast_app, make_post):
    make_post(title="Morning story")
    call_wsgi(fast_app, "/")
    call_wsgi(fast_app, "/")
    with CaptureQueriesContext(connection) as queries:
        _, headers, body = call_wsgi(fast_app, "/")
    assert headers["x-dateline-cache"] == "fast" and b"Morning story" in body
    assert len(queries) == 0
    make_post(title="Evening story")
    assert b"Evening story" in call_wsgi(fast_app, "/")[2]


@pytest.mark.django_db(transaction=True)
def test_a_scheduled_post_appears_when_due_though_nothing_was_written(
    fast_app, make_post, monkeypatch
):
    monkeypatch.setattr(versioning, "REMEMBER_SECONDS", 3600)  # only the due time may expire it
    due = timezone.now() + timedelta(seconds=1.5)
    make_post(title="Due soon", published_at=due)
    call_wsgi(fast_app, "/")
    assert b"Due soon" not in call_wsgi(fast_app, "/")[2]
    time.sleep(max(0.0, (due - timezone.now()).total_seconds()) + 0.05)
    assert b"Due soon" in call_wsgi(fast_app, "/")[2]


def test_a_bell_that_cannot_be_opened_leaves_the_database_in_charge(tmp_path, caplog):
    from dateline.core.changebell import _bell_for

    database = tmp_path / "blog.sqlite3"
    database.write_bytes(b"")
    (tmp_path / "blog.sqlite3-changes").mkdir()  # not a file: opening it fails
    assert _bell_for(str(database)) is None
    assert "database is asked on every read" in caplog.text


def test_the_bell_takes_the_database_file_s_permissions(tmp_path):
    from dateline.core.changebell import _bell_for

    database = tmp_path / "blog.sqlite3"
    database.write_bytes(b"")
    database.chmod(0o640)
    bell = _bell_for(str(database))
    assert (bell.path.stat().st_mode & 0o777) == 0o640 & ~_umask()


def _umask() -> int:
    import os

    current = os.umask(0)
    os.umask(current)
    return current
