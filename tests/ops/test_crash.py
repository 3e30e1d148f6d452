"""kill -9 in the middle of real work: a comment burst, an import, a clip.

Each test runs the real `dateline` processes on a scratch SQLite data dir, kills
them without warning, and then checks what a crash must never cost: the database
passes `PRAGMA integrity_check`, the interrupted work left all or nothing, no
acknowledged comment is lost or doubled, and the same work runs cleanly again.
(PostgreSQL's crash safety is the server's own; these tests aim at our SQLite setup.)
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from dateline.interchange.blogger_writer import write_blogger
from dateline.interchange.records import CommentRecord, PostRecord
from tests.clipping.clipsite import FERRY, LEAD_PNG
from tests.ops.helpers import (
    ROOT,
    answers,
    child_env,
    dateline,
    form_fields,
    free_port,
    integrity_check,
    poll,
    sqlite_rows,
)

NONCE = "crash-nonce-"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """One migrated database, copied into each test's data dir (migrating is the slow part)."""
    data = tmp_path_factory.mktemp("migrated")
    done = dateline("migrate", "--verbosity", "0", env=child_env(data))
    assert done.returncode == 0, done.stderr
    return data / "dateline.sqlite3"


@pytest.fixture
def data_dir(tmp_path: Path, migrated: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(migrated, data / "dateline.sqlite3")
    return data


def spawn(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """A child in its own process group, so kill -9 reaches every process it started."""
    with log.open("ab") as out:
        return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip


def kill_hard(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def serve(data: Path, port: int) -> subprocess.Popen:
    env = child_env(data, DATELINE_COMMENT_MIN_SECONDS="0", DATELINE_COMMENT_RATE="1000000")
    argv = [sys.executable, "-m", "dateline.cli", "serve", "--port", str(port), "--workers", "2"]
    log = data.parent / "server.log"
    server = spawn(argv, env, log)
    try:
        poll(lambda: server.poll() is not None or answers(f"http://127.0.0.1:{port}/robots.txt"),
             "the server", 180)  # fmt: skip
    except AssertionError:
        kill_hard(server)
        raise
    assert server.poll() is None, log.read_text()[-3000:]
    return server


def comment_burst(base: str, path: str, stop: threading.Event, accepted: list[str]) -> None:
    """One reader posting comments back to back until the server dies or we stop."""
    session = requests.Session()
    try:
        page = session.get(base + path, timeout=30)
        fields = form_fields(page.text)
        action = page.text.split('action="/comments/post/', 1)[1].split('"', 1)[0]
        for n in range(10_000):
            if stop.is_set():
                return
            nonce = f"{NONCE}{threading.get_ident()}-{n}"
            data = {**fields, "author_name": "Burst", "body": nonce, "website": ""}
            answer = session.post(f"{base}/comments/post/{action}", data=data, timeout=30,
                                  allow_redirects=False)  # fmt: skip
            if answer.status_code == 303:
                accepted.append(nonce)
    except requests.RequestException:
        return  # the server was killed under us: this comment's fate is unknown


def stored_nonces(db: Path) -> Counter[str]:
    rows = sqlite_rows(db, "SELECT body FROM comments_comment WHERE body LIKE ?", (NONCE + "%",))
    return Counter(body for (body,) in rows)


def test_kill_9_during_a_comment_burst_loses_and_doubles_nothing(data_dir: Path):
    assert dateline("demo", env=child_env(data_dir)).returncode == 0
    db = data_dir / "dateline.sqlite3"
    path = sqlite_rows(db, "SELECT path FROM posts_post WHERE status = 'published' LIMIT 1")[0][0]
    port = free_port()
    base, server = f"http://127.0.0.1:{port}", serve(data_dir, port)
    stop, accepted = threading.Event(), []
    burst = [threading.Thread(target=comment_burst, args=(base, path, stop, accepted))
             for _ in range(8)]  # fmt: skip
    for thread in burst:
        thread.start()
    try:
        poll(lambda: len(accepted) >= 40, "40 accepted comments")
    finally:
        kill_hard(server)
        stop.set()
        for thread in burst:
            thread.join(timeout=60)
    assert integrity_check(db) == "ok"
    stored = stored_nonces(db)
    assert [n for n in accepted if stored[n] != 1] == []  # every 303 is there, once
    assert [n for n, count in stored.items() if count > 1] == []
    port = free_port()  # a new port: the killed server's sockets may linger in TIME_WAIT
    base, server = f"http://127.0.0.1:{port}", serve(data_dir, port)  # the blog comes back
    try:
        stop.clear()
        again: list[str] = []
        threading.Timer(2, stop.set).start()
        comment_burst(base, path, stop, again)
        assert again and stored_nonces(db)[again[0]] == 1
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def big_export(path: Path, posts: int, comments_each: int) -> None:
    def records() -> Iterator:
        start = datetime(2006, 1, 1, tzinfo=UTC)
        for n in range(posts):
            when = start + timedelta(hours=n)
            yield PostRecord(import_id=f"blogger:{n}", title=f"Post {n}", body=f"<p>Text {n}</p>",
                             published=when, updated=when, labels=(f"L{n % 40}",),
                             path=f"/{when.year}/{when.month:02d}/post-{n}.html")  # fmt: skip
            for k in range(comments_each):
                yield CommentRecord(import_id=f"blogger:c{n}-{k}", post_import_id=f"blogger:{n}",
                                    author_name="Reader", body=f"Comment {k}",
                                    published=when + timedelta(minutes=k + 1))  # fmt: skip

    write_blogger(records(), path, blog_id="7", base_url="https://old.example")


def test_kill_9_during_an_import_leaves_nothing_and_it_reruns_cleanly(data_dir: Path):
    export, log = data_dir.parent / "big.xml", data_dir.parent / "import.log"
    big_export(export, posts=6000, comments_each=2)
    env, db = child_env(data_dir), data_dir / "dateline.sqlite3"
    argv = [sys.executable, "-m", "dateline.cli", "import", str(export)]
    importer = spawn(argv, env, log)
    try:  # progress comes every 1000 records: the import is under way, not finished
        poll(lambda: "read " in log.read_text() or importer.poll() is not None, "progress", 120)
    finally:
        kill_hard(importer)
    assert integrity_check(db) == "ok"
    posts = sqlite_rows(db, "SELECT COUNT(*) FROM posts_post")[0][0]
    comments = sqlite_rows(db, "SELECT COUNT(*) FROM comments_comment")[0][0]
    finished = "Imported:" in log.read_text()  # killed after the commit, before exiting
    assert (posts, comments) == ((6000, 12000) if finished else (0, 0))  # all or nothing
    rerun = dateline("import", str(export), env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert sqlite_rows(db, "SELECT COUNT(*) FROM posts_post")[0][0] == 6000
    assert sqlite_rows(db, "SELECT COUNT(*) FROM comments_comment")[0][0] == 12000
    once_more = dateline("import", str(export), env=env)
    assert "Changes: none" in once_more.stdout, once_more.stdout + once_more.stderr


class _SlowSite(BaseHTTPRequestHandler):
    """The story and its lead image at once; the second image trickles until released."""

    protocol_version = "HTTP/1.1"
    requested = threading.Event()
    release = threading.Event()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/img/ferry-crossing.png":
            type(self).requested.set()
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(LEAD_PNG)))
            self.end_headers()
            released = type(self).release.wait(60)
            self.wfile.write(LEAD_PNG if released else b"")
            return
        body, ctype = (
            (LEAD_PNG, "image/png") if self.path.endswith(".png") else (FERRY, "text/html")
        )
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_kill_9_during_a_clip_leaves_no_rows_and_it_reruns_cleanly(data_dir: Path):
    site = ThreadingHTTPServer(("127.0.0.1", 0), _SlowSite)
    site.daemon_threads = True
    threading.Thread(target=site.serve_forever, daemon=True).start()
    _SlowSite.requested.clear()
    _SlowSite.release.clear()
    port = site.server_address[1]
    url = f"http://127.0.0.1:{port}/stories/rope-ferry"
    argv = [sys.executable, "-m", "tests.ops.clip_child", str(port), url]
    env, db = child_env(data_dir), data_dir / "dateline.sqlite3"
    try:
        clip = spawn(argv, env, data_dir.parent / "clip.log")
        try:  # page fetched, lead image saved, second image on its way: mid-clip
            poll(lambda: _SlowSite.requested.is_set() or clip.poll() is not None, "the clip", 120)
        finally:
            kill_hard(clip)
        assert _SlowSite.requested.is_set(), (data_dir.parent / "clip.log").read_text()
        assert integrity_check(db) == "ok"
        for table in ("posts_post", "posts_source", "clipping_snapshot", "clipping_clipjob"):
            assert sqlite_rows(db, f"SELECT COUNT(*) FROM {table}")[0][0] == 0, table  # noqa: S608
        _SlowSite.release.set()
        again = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True,
                               timeout=120, check=False)  # fmt: skip
        assert again.returncode == 0, again.stderr
        assert sqlite_rows(db, "SELECT COUNT(*) FROM posts_post")[0][0] == 1
        assert sqlite_rows(db, "SELECT COUNT(*) FROM clipping_snapshot")[0][0] == 1
    finally:
        _SlowSite.release.set()
        site.shutdown()
        site.server_close()
