"""Requests per second for Dateline's public pages under `dateline serve` (granian), via wrk.

    .venv/bin/python bench/serve.py [--posts 10000] [--comments 30000] [--labels 200]

Builds a blog of generated posts in a scratch data dir (SQLite), starts `dateline serve`
with 2 workers, and runs wrk (Debian package `wrk`; 2 threads, 32 connections, 10 s)
against home, a post, a label page and the Atom feed: once with the page cache, once
without, and nginx serving the same home page as a static file (the physical limit).
Prints requests/s, p99 latency and the cached figure as a share of nginx's.
"""

import argparse
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = [
    "harbour", "ferry", "council", "minister", "talks", "border", "river", "strike", "election",
    "budget", "envoy", "treaty", "court", "ruling", "protest", "vote", "energy", "grid", "wind",
    "drought", "crops", "port",
]  # fmt: skip


def build_blog(data_dir: Path, posts: int, comments: int, labels: int) -> None:
    os.environ.update(
        DATELINE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="dateline.settings.prod"
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from dateline.comments.models import Comment
    from dateline.posts.models import Label, Post
    from dateline.posts.rendering import render_markdown

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    all_labels = [Label.objects.create(name=f"Topic {n}") for n in range(labels)]
    start = datetime(2015, 1, 1, tzinfo=UTC)
    with transaction.atomic():
        batch = []
        for n in range(posts):
            body = "\n\n".join(" ".join(rng.choices(WORDS, k=60)) for _ in range(6))
            batch.append(Post(
                title=f"Story {n}: {' '.join(rng.choices(WORDS, k=5))}", slug=f"story-{n}",
                path=f"/{2015 + n // 1500}/{(n // 125) % 12 + 1:02d}/story-{n}.html",
                status="published", body_source=body, body_html=render_markdown(body),
                published_at=start + timedelta(hours=n * 7),
            ))  # fmt: skip
        Post.objects.bulk_create(batch, batch_size=500)
        through = Post.labels.through
        ids = list(Post.objects.values_list("id", flat=True))
        links = {(pid, label.id) for pid in ids for label in rng.sample(all_labels, 3)}
        through.objects.bulk_create(
            [through(post_id=post, label_id=label) for post, label in links], 1000
        )
        Comment.objects.bulk_create([
            Comment(post_id=rng.choice(ids), author_name="Reader", body="A comment.",
                    body_html="<p>A comment.</p>", status="approved",
                    created_at=start + timedelta(minutes=n))
            for n in range(comments)
        ], batch_size=1000)  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk(url: str, seconds: int) -> tuple[float, str]:
    out = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    if os.environ.get("BENCH_DEBUG"):
        print(out)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+(\S+)", out).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, p99 + (f" ({errors.group(1)} non-2xx!)" if errors else "")


PAGES = {"home": "/", "post": "/2016/05/story-2000.html", "label": "/search/label/Topic%207",
         "feed": "/feeds/posts/default"}  # fmt: skip


@contextmanager
def dateline_server(data_dir: Path, cached: bool) -> Iterator[str]:
    """`dateline serve` (2 workers, no task worker) on a free port; yields its base URL."""
    port = free_port()
    env = {**os.environ, "DATELINE_DATA_DIR": str(data_dir), "DATELINE_HTTPS": "false",
           "DATELINE_PAGE_CACHE": "true" if cached else "false"}  # fmt: skip
    log = (data_dir / f"serve-{port}.log").open("w")
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/dateline"), "serve", "--port", str(port), "--workers", "2",
         "--no-task-worker"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/robots.txt")
        yield base
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
        log.close()


@contextmanager
def nginx_serving(root: Path) -> Iterator[str]:
    """nginx (Debian package) serving `root` as static files: the physical limit here."""
    port = free_port()
    conf = root / "nginx.conf"
    conf.write_text(
        f"worker_processes 2; pid {root}/nginx.pid; error_log {root}/error.log;"
        "events { worker_connections 1024; }"
        f"http {{ access_log off; server {{ listen 127.0.0.1:{port}; root {root};"
        " default_type text/html; } }"
    )
    process = subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"],
                               start_new_session=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/page.html")
        yield base
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)


def wait_until_up(url: str) -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1).close()  # noqa: S310 - loopback
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} never answered")


def measure(base: str, seconds: int) -> dict[str, tuple[float, str]]:
    for path in PAGES.values():  # warm: the first request of each page builds it
        urllib.request.urlopen(base + path, timeout=30).read()  # noqa: S310 - loopback
    return {name: wrk(base + path, seconds) for name, path in PAGES.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=30_000)
    parser.add_argument("--labels", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk).")
    data_dir = Path(tempfile.mkdtemp(prefix="dateline-bench-"))
    try:
        run(data_dir, args)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run(data_dir: Path, args: argparse.Namespace) -> None:
    started = time.monotonic()
    build_blog(data_dir, args.posts, args.comments, args.labels)
    print(f"built {args.posts} posts, {args.comments} comments in "
          f"{time.monotonic() - started:.1f} s; wrk -t2 -c32 -d{args.seconds}s")  # fmt: skip
    results: dict[str, dict[str, tuple[float, str]]] = {}
    with dateline_server(data_dir, cached=True) as base:
        results["cached"] = measure(base, args.seconds)
        home = urllib.request.urlopen(base + "/", timeout=30).read()  # noqa: S310
    with dateline_server(data_dir, cached=False) as base:
        results["uncached"] = measure(base, args.seconds)
    static_rate = None
    if shutil.which("nginx"):
        static_root = Path(tempfile.mkdtemp(prefix="dateline-bench-static-"))
        static_root.chmod(0o755)  # nginx workers run as an unprivileged user
        (static_root / "page.html").write_bytes(home)
        (static_root / "page.html").chmod(0o644)
        with nginx_serving(static_root) as base:
            static_rate = wrk(base + "/page.html", args.seconds)
        shutil.rmtree(static_root, ignore_errors=True)
        print(f"nginx, our home page as a static file: {static_rate[0]:.0f} req/s, "
              f"p99 {static_rate[1]}")  # fmt: skip
    print(f"{'page':8} {'cached req/s':>13} {'p99':>10} {'uncached':>10} {'p99':>10} "
          f"{'vs nginx':>9}")  # fmt: skip
    for name in PAGES:
        cached, uncached = results["cached"][name], results["uncached"][name]
        ratio = f"{cached[0] / static_rate[0]:.1%}" if static_rate else "n/a"
        print(f"{name:8} {cached[0]:13.0f} {cached[1]:>10} {uncached[0]:10.0f} "
              f"{uncached[1]:>10} {ratio:>9}")  # fmt: skip


if __name__ == "__main__":
    main()
