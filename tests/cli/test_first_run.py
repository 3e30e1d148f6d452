"""A newcomer's first commands on an empty data directory work or explain themselves."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def dateline(data: Path, *args: str) -> subprocess.CompletedProcess:
    inherited = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("DATELINE_") and key not in inherited}  # fmt: skip
    environment.update(DATELINE_DATA_DIR=str(data), DATELINE_HTTPS="false")
    return subprocess.run([sys.executable, "-m", "dateline.cli", *args], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=120)  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [("demo",), ("search", "rebuild"), ("export", "--format", "wxr", "{tmp}/out.xml"),
     ("media", "sweep", "--dry-run"), ("post", "add", str(ROOT / "dateline/demo/night-trams.md"))],
)  # fmt: skip
def test_a_command_on_a_fresh_data_directory_creates_the_database_first(tmp_path, args):
    done = dateline(tmp_path / "data", *(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert done.returncode == 0, done.stderr
    assert "no such table" not in done.stderr and "Traceback" not in done.stderr
    assert "Creating the blog's database in" in done.stderr
    assert dateline(tmp_path / "data", *args[:1], "--help").returncode == 0


def test_a_backup_of_a_blog_never_created_is_refused_in_one_line(tmp_path):
    done = dateline(tmp_path / "data", "backup", str(tmp_path / "b.tar.gz"))
    assert done.returncode == 1
    assert (
        done.stderr.strip() == f"There is no blog in {tmp_path / 'data'} yet: nothing to back up."
    )
    assert not (tmp_path / "b.tar.gz").exists()


def test_serve_refuses_a_port_another_server_holds(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = dateline(tmp_path / "data", "serve", "--port", str(port))
    assert done.returncode != 0
    assert f"Cannot serve on 127.0.0.1:{port}" in done.stderr and "--port" in done.stderr
