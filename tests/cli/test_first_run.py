"""A newcomer's first commands on an empty data directory work or explain themselves."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from dateline.cli import COMMANDS, NEEDS_DATABASE

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.own_sqlite


def dateline(data: Path | None, *args: str, cwd: Path = ROOT,
             stdin: str = "") -> subprocess.CompletedProcess:  # fmt: skip
    """`python -m dateline.cli ARGS` with nothing of this suite's environment."""
    inherited = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_SUPERUSER_PASSWORD"}
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("DATELINE_") and key not in inherited}  # fmt: skip
    environment.update(DATELINE_HTTPS="false")
    if data:
        environment["DATELINE_DATA_DIR"] = str(data)
    return subprocess.run([sys.executable, "-m", "dateline.cli", *args], cwd=cwd, input=stdin,
                          env=environment, capture_output=True, text=True, timeout=180)  # fmt: skip


STORY = """<!doctype html><html lang="en"><head><title>Ferry strike ends</title></head><body>
<article><h1>Ferry strike ends</h1><p>The harbour workers returned on Friday after a week-long
strike that halted every ferry between the islands.</p><p>Passengers queued from dawn for the
first crossings, and the operator added extra sailings through the weekend.</p></article>
</body></html>"""
POST = str(ROOT / "dateline/demo/night-trams.md")

# Each command of `dateline --help` as a newcomer would first run it, with what it must do
# on a data directory nothing has touched: succeed (0) or refuse in one line (1, the words).
# `serve` runs on a fresh directory in test_serve.py (a real port, a real granian).
FIRST_RUNS = {
    "demo": [(("demo",), 0, None)],
    "createuser": [(("createuser", "--username", "ed", "--email", "e@example.org",
                     "--password-stdin"), 0, None)],
    "post": [(("post", "add", POST), 0, None)],
    "clip": [(("clip", "{tmp}/story.html", "--url", "https://news.example/ferry"), 0, None)],
    "labels": [(("labels", "suggest", POST), 0, None), (("labels", "apply", "--dry-run"), 0, None),
               (("labels", "retrain"), 1, "Not retrained: 0 labelled posts")],
    "import": [(("import", POST), 0, None)],
    "export": [(("export", "--format", fmt, "{tmp}/out-" + fmt), 0, None)
               for fmt in ("blogger", "wxr", "markdown", "site")],
    "search": [(("search", "rebuild"), 0, None)],
    "backup": [(("backup", "{tmp}/b.tar.gz"), 1, "There is no blog in")],
    "restore": [(("restore", "{tmp}/none.tar.gz"), 1, "not a readable tar.gz archive")],
    "media": [(("media", "sweep"), 0, None)],
    "sources": [(("sources", "check"), 0, None)],
    "token": [(("token", "create", "--user", "ed", "--scope", "create"), 1,
               "'ed' is not an active author or editor.")],
    "worker": [(("worker", "--batch"), 0, None)],
    "migrate": [(("migrate",), 0, None)],
    "check": [(("check",), 0, None)],
}  # fmt: skip


def test_every_command_has_a_first_run_here():
    from dateline.cli import COMMANDS

    assert set(FIRST_RUNS) | {"serve"} == set(COMMANDS)


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [pytest.param(*run, id=" ".join(run[0][:2])) for runs in FIRST_RUNS.values() for run in runs],
)
def test_every_command_on_a_fresh_data_directory_works_or_says_what_is_wrong(
    tmp_path, args, code, says
):
    (tmp_path / "story.html").write_text(STORY)
    done = dateline(tmp_path / "data", *(a.replace("{tmp}", str(tmp_path)) for a in args),
                    stdin="quiet-harbour-ferry-42\n")  # fmt: skip
    assert "Traceback" not in done.stderr and "no such table" not in done.stderr, done.stderr
    assert done.returncode == code, done.stderr
    said = [line for line in done.stderr.splitlines() if "(first run)" not in line]
    if code:
        assert len(said) == 1 and says in said[0], done.stderr
    if args[0] in NEEDS_DATABASE:
        assert "Creating the blog's database in" in done.stderr


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_works_anywhere_and_leaves_no_data_directory_behind(tmp_path, command):
    done = dateline(None, *([command] if command else []), "--help", cwd=tmp_path)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "usage: dateline" in done.stdout
    assert list(tmp_path.iterdir()) == []


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
