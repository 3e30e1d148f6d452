"""kill -9 in the middle of real work: a comment burst, an import, a clip.

Each test runs the real `dateline` processes on a scratch site, on the database the test
run uses (SQLite, or PostgreSQL when DATABASE_URL is set), kills them without warning,
and then checks what a crash must never cost: the database is sound (SQLite's
`PRAGMA integrity_check`, PostgreSQL's amcheck; foreign keys row by row on both, see
crashsite.py), the interrupted work left all or nothing, no acknowledged comment is lost
or doubled, and the same work runs cleanly again.
"""

from __future__ import annotations

import os
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
from tests.ops.crashsite import Site, fresh_site, template
from tests.ops.helpers import ROOT, answers, child_env, dateline, form_fields, poll
from tests.ports import free_port

NONCE = "crash-nonce-"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Iterator[Site]:
    """One migrated database, copied for each test (migrating is the slow part)."""
    with template(tmp_path_factory.mktemp("migrated")) as site:
        yield site


@pytest.fixture
def site(tmp_path: Path, migrated: Site) -> Iterator[Site]:
    with fresh_site(migrated, tmp_path / "data") as fresh:
        yield fresh


def spawn(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """A child in its own process group, so kill -9 reaches every process it started."""
    with log.open("ab") as out:
        return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip


def kill_hard(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def serve(site: Site, port: int) -> subprocess.Popen:
    env = child_env(site.data, site.database_url, DATELINE_COMMENT_MIN_SECONDS="0",
                    DATELINE_COMMENT_RATE="1000000")  # fmt: skip
    argv = [sys.executable, "-m", "dateline.cli", "serve", "--port", str(port), "--workers", "2"]
    log = site.data.parent / "server.log"
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


def stored_nonces(site: Site) -> Counter[str]:
    rows = site.rows("SELECT body FROM comments_comment WHERE body LIKE ?", (NONCE + "%",))
    return Counter(body for (body,) in rows)


def test_kill_9_during_a_comment_burst_loses_and_doubles_nothing(site: Site):
    assert dateline("demo", env=site.env).returncode == 0
    path = site.rows("SELECT path FROM posts_post WHERE status = 'published' LIMIT 1")[0][0]
    port = free_port()
    base, server = f"http://127.0.0.1:{port}", serve(site, port)
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
    assert site.problems() == []
    stored = stored_nonces(site)
    assert [n for n in accepted if stored[n] != 1] == []  # every 303 is there, once
    assert [n for n, count in stored.items() if count > 1] == []
    port = free_port()  # a new port: the killed server's sockets may linger in TIME_WAIT
    base, server = f"http://127.0.0.1:{port}", serve(site, port)  # the blog comes back
    try:
        stop.clear()
        again: list[str] = []
        threading.Timer(2, stop.set).start()
        comment_burst(base, path, stop, again)
        assert again and stored_nonces(site)[again[0]] == 1
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


def test_kill_9_during_an_import_leaves_nothing_and_it_reruns_cleanly(site: Site):
    export, log = site.data.parent / "big.xml", site.data.parent / "import.log"
    big_export(export, posts=6000, comments_each=2)
    env = site.env
    argv = [sys.executable, "-m", "dateline.cli", "import", str(export)]
    importer = spawn(argv, env, log)
    try:  # progress comes every 1000 records: the import is under way, not finished
        poll(lambda: "read " in log.read_text() or importer.poll() is not None, "progress", 120)
    finally:
        kill_hard(importer)
    assert site.problems() == []
    posts, comments = site.count("posts_post"), site.count("comments_comment")
    finished = "Imported:" in log.read_text()  # killed after the commit, before exiting
    assert (posts, comments) == ((6000, 12000) if finished else (0, 0))  # all or nothing
    rerun = dateline("import", str(export), env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert (site.count("posts_post"), site.count("comments_comment")) == (6000, 12000)
    assert site.problems() == []
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


def test_kill_9_during_a_clip_leaves_no_rows_and_it_reruns_cleanly(site: Site):
    news = ThreadingHTTPServer(("127.0.0.1", 0), _SlowSite)
    news.daemon_threads = True
    threading.Thread(target=news.serve_forever, daemon=True).start()
    _SlowSite.requested.clear()
    _SlowSite.release.clear()
    port = news.server_address[1]
    url = f"http://127.0.0.1:{port}/stories/rope-ferry"
    argv = [sys.executable, "-m", "tests.ops.clip_child", str(port), url]
    env, log = site.env, site.data.parent / "clip.log"
    try:
        clip = spawn(argv, env, log)
        try:  # page fetched, lead image saved, second image on its way: mid-clip
            poll(lambda: _SlowSite.requested.is_set() or clip.poll() is not None, "the clip", 120)
        finally:
            kill_hard(clip)
        assert _SlowSite.requested.is_set(), log.read_text()
        assert site.problems() == []
        for table in ("posts_post", "posts_source", "clipping_snapshot", "clipping_clipjob"):
            assert site.count(table) == 0, table
        # The lead image was saved before the kill and nothing names it: the sweeper's case.
        left = list((site.data / "media/images").rglob("*.png"))
        assert left, "the lead image should be on disk"
        swept = dateline("media", "sweep", "--older-than", "0", env=env)
        assert swept.returncode == 0, swept.stderr
        assert [p for p in left if p.exists()] == [], swept.stdout
        _SlowSite.release.set()
        again = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True,
                               timeout=120, check=False)  # fmt: skip
        assert again.returncode == 0, again.stderr
        assert (site.count("posts_post"), site.count("clipping_snapshot")) == (1, 1)
        assert site.problems() == []
        lead = site.rows("SELECT lead_image FROM posts_post")[0][0]
        assert (site.data / "media" / lead).is_file()
        kept = dateline("media", "sweep", "--older-than", "0", env=env)  # names it: kept
        assert (site.data / "media" / lead).is_file(), kept.stdout
    finally:
        _SlowSite.release.set()
        news.shutdown()
        news.server_close()


def test_the_consistency_check_sees_a_row_pointing_nowhere(site: Site):
    """The check above is not vacuous: a comment on a post that does not exist is caught."""
    assert site.problems() == []
    columns = "(post_id, author_name, author_email, author_url, body, body_html, created_at, status, ip_hash, import_ref)"  # noqa: E501
    values = "(424242, 'x', '', '', 'x', 'x', CURRENT_TIMESTAMP, 'approved', '', '')"
    insert = f"INSERT INTO comments_comment {columns} VALUES {values}"  # noqa: S608
    if site.vendor == "sqlite":  # a raw connection does not enforce foreign keys
        site.write(insert)
    else:  # replica mode skips the foreign-key triggers, as a careless bulk load would
        site.write("SET LOCAL session_replication_role = replica", insert)
    assert any("comments_comment" in problem for problem in site.problems())
