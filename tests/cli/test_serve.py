"""`dateline serve --demo` on a real port: migrations, static files, demo blog, granian."""

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from email.message import Message
from pathlib import Path

import pytest
from lxml import html as lxml_html

from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.own_sqlite


def wait_for(url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early: {process.stdout.read()}")
        try:
            urllib.request.urlopen(url, timeout=2).close()  # noqa: S310 - our own loopback server
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def get(url: str) -> tuple[int, bytes, Message]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
        return response.status, response.read(), response.headers


@pytest.fixture
def served_demo(tmp_path):
    """A newcomer's first run: SQLite in a fresh data dir, whatever database the suite uses."""
    port = free_port()
    inherited = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DATELINE_") and key not in inherited
    }
    environment.update(DATELINE_DATA_DIR=str(tmp_path / "data"), DATELINE_HTTPS="false")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dateline.cli",
            "serve",
            "--demo",
            "--port",
            str(port),
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/robots.txt", process)
        yield base, tmp_path / "data", process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)


def test_serve_runs_the_demo_blog_with_static_files(served_demo):
    base, data_dir, _ = served_demo
    status, body, headers = get(base + "/")
    assert status == 200
    tree = lxml_html.fromstring(body)
    titles = [a.text for a in tree.findall(".//h2[@class='post-title']/a")]
    assert "Low water on the Rhine slows barges to a crawl" in titles
    assert headers["X-Frame-Options"] == "DENY"
    stylesheet = tree.find(".//link[@rel='stylesheet']").get("href")
    css_status, css, css_headers = get(base + stylesheet)
    assert css_status == 200 and b"skip-link" in css
    assert "max-age" in css_headers.get("Cache-Control", "")
    assert get(base + "/")[2]["X-Dateline-Cache"] == "fast"  # the WSGI layer, through granian
    post_path = tree.find(".//h2[@class='post-title']/a[@href]").get("href")
    assert get(base + post_path)[0] == 200
    assert (data_dir / "dateline.sqlite3").exists() and (data_dir / "secret_key").exists()


def test_serve_runs_a_task_worker_beside_the_web_server(served_demo):
    _, _, pid = served_demo
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    commands = [Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0") for child in children]
    assert any(b"granian" in part for command in commands for part in command)
    assert any(b"worker" in command and command[1].endswith(b"dateline") for command in commands)


def test_a_post_added_by_another_process_shows_at_once(served_demo):
    """The server remembers the content version between requests (core.changebell); a write
    from a separate `dateline` process must still show on the very next request."""
    base, data_dir, _ = served_demo
    for _ in range(3):
        get(base + "/")
    assert get(base + "/")[2]["X-Dateline-Cache"] == "fast"
    environment = {**os.environ, "DATELINE_DATA_DIR": str(data_dir)}
    environment.pop("DATABASE_URL", None)
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    story = data_dir.parent / "ferries.md"
    story.write_text(
        '---\ntitle: "Harbour strike halts ferries"\npublished: 2026-01-02T08:00:00Z\n'
        "labels: [Malta]\n---\n\nDock workers walked out on Tuesday.\n"
    )
    subprocess.run(
        [sys.executable, "-m", "dateline.cli", "post", "add", str(story)],
        cwd=ROOT, env=environment, check=True, capture_output=True,
    )  # fmt: skip
    _, body, headers = get(base + "/")
    assert b"Harbour strike halts ferries" in body and headers["X-Dateline-Cache"] != "fast"


def descendants(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += [int(child), *descendants(int(child))]
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def start_serve(tmp_path: Path, port: int, **output) -> subprocess.Popen:
    """A newcomer's `dateline serve` (SQLite in a fresh data dir) in its own session."""
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("DATELINE_") and key not in {"DJANGO_SETTINGS_MODULE",
                                                                      "DATABASE_URL"}}  # fmt: skip
    environment.update(DATELINE_DATA_DIR=str(tmp_path / "data"), DATELINE_HTTPS="false")
    return subprocess.Popen(
        [sys.executable, "-m", "dateline.cli", "serve", "--port", str(port), "--workers", "2"],
        cwd=ROOT, env=environment, text=True, start_new_session=True, **output,
    )  # fmt: skip


def test_two_sigterms_stop_serve_and_its_children_without_a_traceback(tmp_path):
    """An impatient operator (or a supervisor) signals twice: the second arrives while the
    children stop and must not end in a KeyboardInterrupt traceback or leave them behind."""
    port = free_port()
    process = start_serve(tmp_path, port, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for(f"http://127.0.0.1:{port}/robots.txt", process)
        children = descendants(process.pid)
        assert len(children) >= 3  # granian, its workers, the task worker
        process.send_signal(signal.SIGTERM)
        time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=15)  # the second signal does not wait
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert process.returncode == 0
    deadline = time.monotonic() + 10
    while any(map(running, children)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [child for child in children if running(child)]


def test_killing_serves_process_group_leaves_no_server_behind(tmp_path):
    """kill -9 of serve's group (a crash test, a terminal closing, a supervisor without
    cgroups) must reach granian and its workers too: nothing may keep serving the port."""
    port = free_port()
    process = start_serve(tmp_path, port, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/robots.txt", process)
        children = descendants(process.pid)
        assert len(children) >= 3  # granian, its workers, the task worker
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)
    deadline = time.monotonic() + 10
    while any(map(running, children)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [child for child in children if running(child)]


def task_states(data_dir: Path) -> list[tuple[str, str]]:
    """(task path, status) of every task in a served blog's queue."""
    with contextlib.closing(sqlite3.connect(data_dir / "dateline.sqlite3", timeout=10)) as db:
        return db.execute(
            "SELECT task_path, status FROM django_tasks_database_dbtaskresult"
        ).fetchall()


def test_a_stop_does_not_wait_for_the_task_the_worker_is_running(tmp_path):
    """Stopped while its task worker checks the demo's source links (one request per host
    per DATELINE_SOURCE_HOST_INTERVAL, here minutes), serve stops within seconds, and the
    interrupted check is recorded as failed: a worker killed instead would leave it marked
    as running, and no later worker would queue the checks again."""
    port = free_port()
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("DATELINE_") and key not in {"DJANGO_SETTINGS_MODULE",
                                                                      "DATABASE_URL"}}  # fmt: skip
    data_dir = tmp_path / "data"
    environment.update(DATELINE_DATA_DIR=str(data_dir), DATELINE_HTTPS="false",
                       DATELINE_SOURCE_HOST_INTERVAL="600")  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "dateline.cli", "serve", "--demo", "--port", str(port),
         "--workers", "1"],
        cwd=ROOT, env=environment, text=True, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    check = "dateline.sources.tasks.check_due_sources"
    try:
        wait_for(f"http://127.0.0.1:{port}/robots.txt", process)
        deadline = time.monotonic() + 60
        while (check, "RUNNING") not in task_states(data_dir) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (check, "RUNNING") in task_states(data_dir)
        process.send_signal(signal.SIGTERM)  # serve alone: the worker hears it once, from serve
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)
    assert process.returncode == 0, stderr
    # Ended, not waited for (a 600 s host pause) nor killed (which leaves it RUNNING).
    assert (check, "FAILED") in task_states(data_dir)
    assert (check, "RUNNING") not in task_states(data_dir)
