"""Settings really in effect: SQLite tuning, secrets, debug off, production checks."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction

ROOT = Path(__file__).resolve().parents[2]
on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite tuning applies only to SQLite"
)


def run_python(code: str, data_dir: Path, settings: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DATELINE_") and key != "DATABASE_URL"
    }
    environment.update(DATELINE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE=settings, **env)
    return subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@on_sqlite
@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_sqlite_transactions_take_the_write_lock_at_begin():
    """With IMMEDIATE, an open transaction that has only read already blocks other writers."""
    database_file = connection.settings_dict["NAME"]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM posts_post")
        other = sqlite3.connect(database_file, timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()


def test_secret_key_is_generated_once_and_kept_private(tmp_path: Path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_python(code, tmp_path, "dateline.settings.prod")
    second = run_python(code, tmp_path, "dateline.settings.prod")
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "secret_key"
    assert first.stdout.strip() == second.stdout.strip() == key_file.read_text().strip()
    assert len(first.stdout.strip()) >= 50
    assert key_file.stat().st_mode & 0o077 == 0


def test_secret_key_from_the_environment_wins(tmp_path: Path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    result = run_python(code, tmp_path, "dateline.settings.prod", DATELINE_SECRET_KEY="k" * 60)
    assert result.stdout.strip() == "k" * 60
    assert not (tmp_path / "secret_key").exists()


def test_debug_is_off_unless_asked_for(tmp_path: Path):
    code = "from django.conf import settings; print(settings.DEBUG)"
    assert run_python(code, tmp_path, "dateline.settings.prod").stdout.strip() == "False"
    turned_on = run_python(code, tmp_path, "dateline.settings.prod", DATELINE_DEBUG="true")
    assert turned_on.stdout.strip() == "True"


def test_a_malformed_boolean_setting_is_a_clear_error(tmp_path: Path):
    code = "from django.conf import settings; print(settings.DEBUG)"
    result = run_python(code, tmp_path, "dateline.settings.prod", DATELINE_DEBUG="maybe")
    assert result.returncode != 0
    assert "DATELINE_DEBUG='maybe' is not a boolean" in result.stderr


def test_allowed_hosts_come_from_the_environment(tmp_path: Path):
    code = "from django.conf import settings; print(','.join(settings.ALLOWED_HOSTS))"
    result = run_python(
        code, tmp_path, "dateline.settings.prod", DATELINE_ALLOWED_HOSTS="blog.example, x.example"
    )
    assert result.stdout.strip() == "blog.example,x.example"


def test_database_url_selects_postgresql(tmp_path: Path):
    code = (
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], d['HOST'])"
    )
    result = run_python(
        code, tmp_path, "dateline.settings.prod", DATABASE_URL="postgres://u@db.example:5432/blog"
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "blog", "db.example"]


def test_production_settings_pass_the_deploy_check(tmp_path: Path):
    code = (
        "import sys; from django.core.management import execute_from_command_line;"
        "execute_from_command_line(['dateline', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    result = run_python(code, tmp_path, "dateline.settings.prod")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_fresh_data_dir_and_its_database_are_private_to_their_owner(tmp_path: Path):
    """`dateline migrate` on a fresh data dir, under the usual umask of 022: nothing it
    creates is readable by the machine's other users."""
    data_dir = tmp_path / "site" / "data"
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("DATELINE_")
                   and key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}  # fmt: skip
    environment.update(DATELINE_DATA_DIR=str(data_dir))
    old_umask = os.umask(0o022)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "dateline.cli", "migrate"],
            env=environment, cwd=ROOT, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    finally:
        os.umask(old_umask)
    assert result.returncode == 0, result.stderr
    assert data_dir.stat().st_mode & 0o777 == 0o700
    database = data_dir / "dateline.sqlite3"
    with sqlite3.connect(database) as reader:  # a reader keeps -wal and -shm on disk
        reader.execute("SELECT count(*) FROM django_migrations")
        for name in ("dateline.sqlite3", "secret_key", "dateline.sqlite3-wal",
                     "dateline.sqlite3-shm"):  # fmt: skip
            assert (data_dir / name).stat().st_mode & 0o777 == 0o600, name


def test_a_database_readable_by_others_is_made_private(tmp_path: Path):
    database = tmp_path / "dateline.sqlite3"
    with sqlite3.connect(database) as writer:
        writer.execute("CREATE TABLE t (x)")
    database.chmod(0o644)
    result = run_python("import django; django.setup()", tmp_path, "dateline.settings.prod")
    assert result.returncode == 0, result.stderr
    assert database.stat().st_mode & 0o777 == 0o600


def test_each_xdist_worker_has_a_data_dir_of_its_own_and_its_children_keep_theirs(
    tmp_path: Path,
):
    """pytest-xdist's workers inherit the controller's DATELINE_DATA_DIR: each takes a dir
    of its own (its media, snapshots and label model are its own, as its database is). A
    process one of its tests starts (no pytest loaded) keeps the dir it is given."""
    code = "from django.conf import settings; print(settings.DATA_DIR)"
    worker = run_python(
        "import pytest; " + code, tmp_path, "dateline.settings.test", PYTEST_XDIST_WORKER="gw3"
    )
    assert worker.returncode == 0, worker.stderr
    own = Path(worker.stdout.strip())
    assert own != tmp_path and own.name.startswith("dateline-test-gw3-")
    assert not own.exists()  # removed when the worker that made it exits
    child = run_python(code, tmp_path, "dateline.settings.test", PYTEST_XDIST_WORKER="gw3")
    assert child.returncode == 0, child.stderr
    assert Path(child.stdout.strip()) == tmp_path
    # A run without xdist (this test may run in a worker: its variable is blanked).
    serial = run_python(
        "import pytest; " + code, tmp_path, "dateline.settings.test", PYTEST_XDIST_WORKER=""
    )
    assert serial.returncode == 0, serial.stderr
    assert Path(serial.stdout.strip()) == tmp_path
