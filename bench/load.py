"""Load with faults in mind: commenters, readers and an author at once, nothing lost.

    .venv/bin/python bench/load.py [--seconds 60] [--commenters 50] [--readers 50]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres]

Starts `dateline serve --workers 2` on a scratch data dir (SQLite; with
--database-url a scratch PostgreSQL database `dateline_load` on that server,
created and dropped), then for the given time runs:

- commenters who behave like people: fetch the post page (cookie and CSRF token),
  wait the bot trap's minimum time, post a comment carrying a unique nonce;
- readers fetching home, post, label, archive, feed and search pages;
- an author publishing a post every second through the ORM, on the same database.

The bench sets two settings for itself through the environment, as an operator would:
DATELINE_COMMENT_MIN_SECONDS=1 (so commenters need only wait a second) and
DATELINE_COMMENT_RATE=1000000 (all commenters share 127.0.0.1, and the per-IP rate
limit would otherwise refuse them after 5). Everything runs on loopback, bounded by
--seconds and the per-request timeout.

Prints requests and p50/p99 latency per class, wall and CPU time, and the checks:
no 5xx, no "database is locked" in the server log, every accepted (303) comment
stored exactly once. Exits non-zero when a check fails.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parents[1]
SCRATCH_DB = "dateline_load"
NONCE = "load-nonce-"
HIDDEN = re.compile(r'name="(?P<name>csrfmiddlewaretoken|started)" value="(?P<value>[^"]*)"')
TIMEOUT = 30


@dataclass
class Tally:
    """What every thread saw; appended under one lock."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    accepted: list[str] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, started: float, status: int | str) -> None:
        with self.lock:
            self.latencies[kind].append(time.perf_counter() - started)
            self.statuses[kind][status] += 1


def request(tally: Tally, kind: str, call, *args, **kwargs) -> requests.Response | None:
    started = time.perf_counter()
    try:
        response = call(*args, timeout=TIMEOUT, allow_redirects=False, **kwargs)
    except requests.RequestException as error:
        tally.record(kind, started, type(error).__name__)
        return None
    tally.record(kind, started, response.status_code)
    return response


def commenter(base: str, paths: list[str], deadline: float, tally: Tally, wait: float) -> None:
    """Fetch the form, wait like a person, post a comment with a nonce; repeat."""
    session, rng = requests.Session(), random.Random()
    for n in itertools.count():
        if time.monotonic() >= deadline:
            return
        page = request(tally, "form", session.get, base + rng.choice(paths))
        fields = {m["name"]: m["value"] for m in HIDDEN.finditer(page.text)} if page else {}
        action = re.search(r'action="(/comments/[^"]+)"', page.text) if page else None
        if len(fields) < 2 or action is None:
            continue
        time.sleep(wait)
        nonce = f"{NONCE}{threading.get_ident()}-{n}"
        data = {**fields, "author_name": "Load", "author_email": "", "author_url": "",
                "body": f"Comment {nonce} under load.", "website": "", "parent": ""}  # fmt: skip
        posted = request(tally, "comment", session.post, base + action[1], data=data)
        if posted is not None and posted.status_code == 303:
            with tally.lock:
                tally.accepted.append(nonce)


def reader(base: str, paths: list[str], deadline: float, tally: Tally) -> None:
    session, rng = requests.Session(), random.Random()
    pages = [
        "/",
        "/?page=2",
        "/feeds/posts/default",
        "/search?q=river",
        "/search/label/Germany",
        "/2024/",
    ]
    while time.monotonic() < deadline:
        request(tally, "read", session.get, base + rng.choice(pages + paths))


def author(deadline: float, tally: Tally) -> None:
    """Publish a post every second through the ORM, as `dateline post add` would."""
    from django.db import connection

    from dateline.posts.models import Post
    from dateline.posts.services import labels_named

    label = labels_named(["Load"])[0]
    try:
        for n in itertools.count():
            if time.monotonic() >= deadline:
                return
            started = time.perf_counter()
            post = Post.objects.create(
                title=f"Published under load {n}", status="published", body_source=f"Post **{n}**."
            )
            post.labels.add(label)
            tally.record("publish", started, "ok")
            time.sleep(max(0.0, 1 - (time.perf_counter() - started)))
    finally:
        connection.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0.0


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dateline(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "dateline.cli", *args], cwd=ROOT, check=True)


def start_server(port: int, workers: int, threads: int | None, log: Path) -> subprocess.Popen:
    argv = [sys.executable, "-m", "dateline.cli", "serve", "--port", str(port),
            "--workers", str(workers)]  # fmt: skip
    argv += ["--threads", str(threads)] if threads else []
    with log.open("w") as out:
        server = subprocess.Popen(argv, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited early:\n{log.read_text()}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2).close()
            return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    sys.exit("the server did not answer within 120 s")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)


def prepare(data_dir: Path, database_url: str) -> None:
    """Environment for the server and for this process's ORM: the same site."""
    os.environ.update(
        DATELINE_DATA_DIR=str(data_dir), DATELINE_HTTPS="false",
        DJANGO_SETTINGS_MODULE="dateline.settings.prod",
        DATELINE_COMMENT_MIN_SECONDS="1", DATELINE_COMMENT_RATE="1000000",
    )  # fmt: skip
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    dateline("migrate", "--verbosity", "0")
    dateline("demo")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def run_load(args: argparse.Namespace, base: str, tally: Tally) -> float:
    from dateline.posts.models import Post

    paths = list(Post.objects.published().values_list("path", flat=True))
    deadline = time.monotonic() + args.seconds
    threads = [threading.Thread(target=author, args=(deadline, tally))]
    threads += [threading.Thread(target=commenter, args=(base, paths, deadline, tally, 1.05))
                for _ in range(args.commenters)]  # fmt: skip
    threads += [threading.Thread(target=reader, args=(base, paths, deadline, tally))
                for _ in range(args.readers)]  # fmt: skip
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + TIMEOUT * 3)
    return time.perf_counter() - started


def stored_nonces() -> Counter:
    from dateline.comments.models import Comment

    bodies = Comment.objects.filter(body__contains=NONCE).values_list("body", flat=True)
    return Counter(re.search(rf"{NONCE}[\d-]+", body)[0] for body in bodies)


def report(tally: Tally, wall: float, log: Path) -> bool:
    print(f"{'class':8} {'requests':>9} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for kind, values in sorted(tally.latencies.items()):
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(tally.statuses[kind].items(), key=str))
        print(f"{kind:8} {len(values):9} {percentile(values, 0.5):8.1f} "
              f"{percentile(values, 0.99):8.1f}  {statuses}")  # fmt: skip
    total = sum(len(v) for k, v in tally.latencies.items() if k != "publish")
    print(f"HTTP requests: {total} in {wall:.1f} s ({total / wall:.0f}/s)")
    five = sum(n for c in tally.statuses.values() for s, n in c.items() if str(s).startswith("5"))
    failed = sum(
        n for c in tally.statuses.values() for s, n in c.items() if isinstance(s, str) and s != "ok"
    )
    text = log.read_text(errors="replace")
    locked, tracebacks = text.count("database is locked"), text.count("Traceback")
    stored = stored_nonces()
    lost = [n for n in tally.accepted if stored[n] == 0]
    doubled = [n for n, count in stored.items() if count > 1]
    unacknowledged = len(set(stored) - set(tally.accepted))
    print(f"5xx responses: {five}; connection errors/timeouts: {failed}")
    print(f'"database is locked" in the server log: {locked}; tracebacks: {tracebacks}')
    for block in text.split("Traceback")[1:4]:  # the log goes with the scratch dir: show them
        print("Traceback" + "\n".join(block.splitlines()[-12:]))
    print(f"accepted comments (303): {len(tally.accepted)}; stored once: "
          f"{len(tally.accepted) - len(lost)}; lost: {len(lost)}; duplicated: {len(doubled)}; "
          f"stored but not acknowledged: {unacknowledged}")  # fmt: skip
    return not (five or locked or lost or doubled or failed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--commenters", type=int, default=50)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, help="Threads per worker (serve's default).")
    parser.add_argument("--database-url", default="", help="A PostgreSQL server to use instead.")
    args = parser.parse_args()
    scratch = _scratch_database(args.database_url) if args.database_url else ""
    try:
        with tempfile.TemporaryDirectory(prefix="dateline-load-") as data:
            ok = _run(args, Path(data), scratch)
    finally:
        if scratch:
            _admin(args.database_url, f"DROP DATABASE IF EXISTS {SCRATCH_DB} WITH (FORCE)")
    sys.exit(0 if ok else 1)


def _run(args: argparse.Namespace, data: Path, database_url: str) -> bool:
    prepare(data, database_url)
    port, log = free_port(), data / "server.log"
    server = start_server(port, args.workers, args.threads, log)
    tally = Tally()
    cpu_before = _cpu()
    try:
        wall = run_load(args, f"http://127.0.0.1:{port}", tally)
    finally:
        stop_server(server)
    used = _cpu() - cpu_before
    vendor = "PostgreSQL" if database_url else "SQLite"
    print(f"dateline serve --workers {args.workers} on {vendor}: {args.commenters} commenters, "
          f"{args.readers} readers, 1 author, {args.seconds:.0f} s; CPU {used:.1f} s "
          f"(bench + server) over {wall:.1f} s wall on {os.cpu_count()} CPUs")  # fmt: skip
    return report(tally, wall, log)


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def _scratch_database(url: str) -> str:
    _admin(url, f"DROP DATABASE IF EXISTS {SCRATCH_DB} WITH (FORCE)")
    _admin(url, f"CREATE DATABASE {SCRATCH_DB}")
    return urlunsplit(urlsplit(url)._replace(path=f"/{SCRATCH_DB}"))


if __name__ == "__main__":
    main()
