"""`dateline createuser` without a terminal, as a script or a newcomer's copy-paste runs it:
the account it makes can log in over real HTTP, and what it cannot do it says in one line."""

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.cli.test_serve import wait_for
from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.own_sqlite
PASSWORD = "quiet-harbour-ferry-42"


def environment(data: Path, **extra: str) -> dict[str, str]:
    inherited = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_SUPERUSER_PASSWORD"}
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("DATELINE_") and key not in inherited}  # fmt: skip
    env.update(DATELINE_DATA_DIR=str(data), DATELINE_HTTPS="false", **extra)
    return env


def createuser(data: Path, *args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dateline.cli", "createuser", *args], cwd=ROOT,
                          env=environment(data, **env), input=stdin, capture_output=True,
                          text=True, timeout=120)  # fmt: skip


@pytest.fixture
def server(tmp_path):
    """`dateline serve` on the data directory the accounts go into."""
    data, port = tmp_path / "data", free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "dateline.cli", "serve", "--port", str(port), "--workers", "1",
         "--no-task-worker"],
        cwd=ROOT, env=environment(data), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/robots.txt", process)
        hint = next(line for line in process.stdout if "Create the author account" in line)
        yield base, data, hint.split("with: ", 1)[1].strip()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def logs_in(base: str, username: str, password: str) -> bool:
    """Django's login form over HTTP, as a browser posts it; True when the desk opens."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(base + "/admin/login/?next=/desk/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"csrfmiddlewaretoken": token, "username": username, "password": password,
            "next": "/desk/"}  # fmt: skip
    request = urllib.request.Request(  # noqa: S310 - our own loopback server
        base + "/admin/login/?next=/desk/", data=urllib.parse.urlencode(form).encode(),
        headers={"Referer": base + "/admin/login/"},
    )  # fmt: skip
    with opener.open(request, timeout=10) as response:
        return urllib.parse.urlsplit(response.url).path == "/desk/" and response.status == 200


def test_the_documented_non_interactive_forms_make_accounts_that_log_in(server):
    base, data, _ = server
    piped = createuser(data, "--username", "ed", "--email", "ed@example.org", "--password-stdin",
                       "--display-name", "Ed Itor", stdin=PASSWORD + "\n")  # fmt: skip
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.strip() == "Created the editor account 'ed': log in at /desk/."
    from_env = createuser(
        data, "--noinput", "--username", "au", "--email", "au@example.org", "--role", "author",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD + "-2",
    )  # fmt: skip
    assert from_env.returncode == 0, from_env.stderr
    assert from_env.stdout.strip() == "Created the author account 'au': log in at /desk/."
    for output in (piped, from_env):
        assert "Superuser" not in output.stdout + output.stderr
    assert logs_in(base, "ed", PASSWORD)
    assert logs_in(base, "au", PASSWORD + "-2")
    assert not logs_in(base, "ed", PASSWORD + "-wrong")


@pytest.mark.parametrize(
    ("args", "stdin", "says"),
    [
        ((), "", "No terminal to ask on: pipe the password to `dateline createuser --username"),
        (("--noinput", "--username", "ed", "--email", "e@example.org"), "",
         "--noinput needs a password (or the account could not log in)"),
        (("--username", "ed", "--email", "e@example.org", "--password-stdin"), "",
         "--password-stdin read no password from standard input."),
        (("--username", "ed", "--email", "e@example.org", "--password-stdin"), "ed\n",
         "This password is too short."),
    ],
)  # fmt: skip
def test_an_account_that_could_not_log_in_is_refused_in_one_line(tmp_path, args, stdin, says):
    done = createuser(tmp_path / "data", *args, stdin=stdin)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "Superuser" not in done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if not line.startswith("Creating the blog")]
    assert len(lines) == 1 and says in lines[0], done.stderr
    # Nothing was made: the same login name is free for the right command.
    again = createuser(tmp_path / "data", "--username", "ed", "--email", "e@example.org",
                       "--password-stdin", stdin=PASSWORD)  # fmt: skip
    assert again.returncode == 0, again.stderr


def test_createuser_help_no_longer_speaks_of_superusers_that_cannot_log_in(tmp_path):
    done = createuser(tmp_path / "data", "--help")
    assert done.returncode == 0
    assert "--password-stdin" in done.stdout and "DJANGO_SUPERUSER_PASSWORD" in done.stdout
    assert "Specifies the login for the superuser" not in done.stdout
    assert "not be able to log in" not in " ".join(done.stdout.split())


def test_the_command_serve_prints_reaches_the_blog_from_another_directory(server, tmp_path):
    """Run from elsewhere, a bare `dateline createuser` would make the account in a new
    ./dateline-data there; the printed command names the blog's data directory."""
    base, _, hint = server
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {key: value for key, value in environment(tmp_path).items()
           if key != "DATELINE_DATA_DIR"}  # fmt: skip
    line = f"{hint} --username ana --email a@example.org --password-stdin"
    done = subprocess.run(  # noqa: S602 - the hint is a line for a shell
        line, shell=True, cwd=elsewhere, env=env, input=PASSWORD, text=True,
        capture_output=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert list(elsewhere.iterdir()) == []
    assert logs_in(base, "ana", PASSWORD)
