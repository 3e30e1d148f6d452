"""Requests per second for Dateline's public pages under `dateline serve` (granian), via wrk.

    .venv/bin/python bench/serve.py [--posts 10000] [--comments 30000] [--labels 200]
                                    [--seconds 10] [--rounds 3]

Builds a blog of generated posts in a scratch data dir (SQLite), then runs wrk (Debian
package `wrk`; 2 threads, 32 connections) against home, a post, a label page and the Atom
feed on each way of serving them, all up at once and measured page by page in turn
(`--rounds N` repeats the turn and takes medians: this machine's speed drifts over
minutes, and runs far apart would compare the drift):

- cached: `dateline serve` (2 workers) as shipped: WSGI fast path and page cache;
- django: the same granian on Django's own WSGI application, the page cache without the
  fast path in front (what core.fastpath and core.readertoken buy);
- uncached: `dateline serve` with DATELINE_PAGE_CACHE=false (what the page cache buys);
- mirror: nginx (Debian package, 2 workers) serving the static mirror
  (`dateline export --format site`) with the shipped deploy/nginx.conf;
- nginx: nginx serving each page's same bytes as a plain static file (the physical limit).

Prints requests/s and p99 latency per page and way, and the shares between them.
Goals (issue 6): mirror ≥ 90 %, cached ≥ 40 % of nginx, p99 < 50 ms cached; uncached home
≥ 700/s, post ≥ 1,500/s.
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
from contextlib import ExitStack, contextmanager
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
                path=post_path(n),
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
    # The latency distribution's line; "99%" also ends a standard deviation's share.
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, p99 + (f" ({errors.group(1)} non-2xx!)" if errors else "")


def post_path(n: int) -> str:
    return f"/{2015 + n // 1500}/{(n // 125) % 12 + 1:02d}/story-{n}.html"


PAGES = {"home": "/", "post": post_path(2000), "label": "/search/label/Topic%207",
         "feed": "/feeds/posts/default"}  # fmt: skip


@contextmanager
def dateline_server(data_dir: Path, cached: bool) -> Iterator[str]:
    """`dateline serve` (2 workers, no task worker) on a free port; yields its base URL."""
    port = free_port()
    argv = [str(ROOT / ".venv/bin/dateline"), "serve", "--port", str(port), "--workers", "2",
            "--no-task-worker"]  # fmt: skip
    with process_serving(argv, data_dir, port, cached) as base:
        yield base


@contextmanager
def django_server(data_dir: Path) -> Iterator[str]:
    """granian as `dateline serve` runs it, on Django's own WSGI application: the page
    cache answers inside Django, with no fast path in front."""
    port = free_port()
    argv = [str(ROOT / ".venv/bin/granian"), "--interface", "wsgi", "--host", "127.0.0.1",
            "--port", str(port), "--workers", "2", "--blocking-threads", "1", "--no-ws",
            "dateline.wsgi:django_application"]  # fmt: skip
    with process_serving(argv, data_dir, port, cached=True) as base:
        yield base


@contextmanager
def process_serving(argv: list[str], data_dir: Path, port: int, cached: bool) -> Iterator[str]:
    env = {**os.environ, "DATELINE_DATA_DIR": str(data_dir), "DATELINE_HTTPS": "false",
           "DATELINE_PAGE_CACHE": "true" if cached else "false",
           "DJANGO_SETTINGS_MODULE": "dateline.settings.prod"}  # fmt: skip
    log = (data_dir / f"serve-{port}.log").open("w")
    server = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/robots.txt")
        yield base
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
        log.close()


@contextmanager
def nginx_with(server_block: str, prefix: Path, probe: str) -> Iterator[str]:
    """nginx (Debian package, 2 workers) with one server block; `{port}` is filled in."""
    port = free_port()
    prefix.mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    user = "user root root;" if os.geteuid() == 0 else ""  # workers must read our tmp dirs
    conf.write_text(
        f"worker_processes 2; {user} pid {prefix}/nginx.pid; error_log {prefix}/error.log;"
        "events { worker_connections 1024; }"
        f"http {{ include /etc/nginx/mime.types; access_log off;"
        f" client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy;"
        f" fastcgi_temp_path {prefix}/fcgi; uwsgi_temp_path {prefix}/uwsgi;"
        f" scgi_temp_path {prefix}/scgi; {server_block.replace('{port}', str(port))} }}"
    )
    process = subprocess.Popen([nginx_binary(), "-p", str(prefix), "-c", str(conf),
                                "-g", "daemon off;"], start_new_session=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + probe)
        yield base
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)


def nginx_binary() -> str | None:
    debian = Path("/usr/sbin/nginx")  # not on a non-root PATH
    return shutil.which("nginx") or (str(debian) if debian.exists() else None)


def static_server_block(root: Path) -> str:
    return f"server {{ listen 127.0.0.1:{{port}}; root {root}; default_type text/html; }}"


def mirror_server_block(mirror: Path, live: str) -> str:
    """The shipped deploy/nginx.conf with this run's port, mirror and live server."""
    text = (ROOT / "deploy/nginx.conf").read_text()
    for shipped, ours in (("listen 80;", "listen 127.0.0.1:{port};"),
                          ("root /var/www/dateline-mirror;", f"root {mirror};"),
                          ("alias /var/www/dateline-mirror/", f"alias {mirror}/"),
                          ("server 127.0.0.1:8000;", f"server {live};")):  # fmt: skip
        text = text.replace(shipped, ours)
    return text


def build_mirror(data_dir: Path, mirror: Path) -> float:
    started = time.monotonic()
    env = {**os.environ, "DATELINE_DATA_DIR": str(data_dir), "DATELINE_HTTPS": "false"}
    subprocess.run([str(ROOT / ".venv/bin/dateline"), "export", "--format", "site",
                    str(mirror), "--workers", "2"],
                   env=env, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    return time.monotonic() - started


def wait_until_up(url: str) -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1).close()  # noqa: S310 - loopback
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} never answered")


def warm(base: str) -> dict[str, tuple[bytes, str]]:
    """The first request of each page builds it; the body and how it was answered."""
    found = {}
    for name, path in PAGES.items():
        for _ in range(3):
            with urllib.request.urlopen(base + path, timeout=30) as response:  # noqa: S310
                found[name] = (response.read(), response.headers.get("X-Dateline-Cache", ""))
    return found


def share(rate: tuple[float, str] | None, limit: tuple[float, str] | None) -> str:
    return f"{rate[0] / limit[0]:.1%}" if rate and limit else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=30_000)
    parser.add_argument("--labels", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--no-mirror", action="store_true", help="Skip the mirror build.")
    parser.add_argument("--rounds", type=int, default=1,
                        help="Turns over every page and way of serving (medians).")  # fmt: skip
    args = parser.parse_args()
    PAGES["post"] = post_path(args.posts // 5)
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
          f"{time.monotonic() - started:.1f} s; wrk -t2 -c32 -d{args.seconds}s, "
          f"{args.rounds} round(s), medians")  # fmt: skip
    scratch = Path(tempfile.mkdtemp(prefix="dateline-bench-nginx-"))
    with ExitStack() as servers:
        bases = {
            "cached": servers.enter_context(dateline_server(data_dir, cached=True)),
            "django": servers.enter_context(django_server(data_dir)),
            "uncached": servers.enter_context(dateline_server(data_dir, cached=False)),
        }
        answered = {way: warm(base) for way, base in bases.items()}  # fmt: skip
        print("answered by:", {way: {name: how or "django" for name, (_, how) in pages.items()}
                               for way, pages in answered.items()})  # fmt: skip
        if nginx_binary():
            bases.update(nginx_servers(scratch, data_dir, answered["cached"], args, servers))
        else:
            print("nginx is not installed (apt-get install nginx): no nginx figures.")
        results = interleaved(bases, args)
    shutil.rmtree(scratch, ignore_errors=True)
    print_table(results)


def nginx_servers(scratch: Path, data_dir: Path, pages: dict, args: argparse.Namespace,
                  servers: ExitStack) -> dict[str, str]:  # fmt: skip
    """nginx on each page's bytes as plain files, and on the mirror (shipped config)."""
    (scratch / "static").mkdir()
    for name, (body, _) in pages.items():  # the same bytes as each page, as plain files
        (scratch / f"static/{name}.html").write_bytes(body)
    bases = {"nginx": servers.enter_context(nginx_with(
        static_server_block(scratch / "static"), scratch / "n1", "/home.html"))}  # fmt: skip
    if not args.no_mirror:
        seconds = build_mirror(data_dir, scratch / "mirror")
        print(f"mirror of {args.posts} posts built in {seconds:.1f} s")
        block = mirror_server_block(scratch / "mirror", "127.0.0.1:9")  # never reached
        bases["mirror"] = servers.enter_context(nginx_with(block, scratch / "n2", "/"))
    return bases


def interleaved(bases: dict[str, str], args: argparse.Namespace) -> dict[str, dict]:
    """Every way of serving on each page in turn, `--rounds` times; the median run each."""
    runs: dict[str, dict[str, list]] = {way: {} for way in bases}
    for _ in range(args.rounds):
        for name, path in PAGES.items():
            for way, base in bases.items():
                url = f"{base}/{name}.html" if way == "nginx" else base + path
                runs[way].setdefault(name, []).append(wrk(url, args.seconds))
    if args.rounds > 1:
        for way, pages in runs.items():
            print(f"{way:9}", "  ".join(f"{name} {min(r)[0]:.0f}-{max(r)[0]:.0f}/s"
                                         for name, r in pages.items()))  # fmt: skip
    return {way: {name: median_run(found) for name, found in pages.items()}
            for way, pages in runs.items()}  # fmt: skip


def median_run(found: list[tuple[float, str]]) -> tuple[float, str]:
    """The run with the median rate (the lower middle one of an even count), its p99 too."""
    return sorted(found)[(len(found) - 1) // 2]


def print_table(results: dict[str, dict[str, tuple[float, str]]]) -> None:
    columns = ("cached", "django", "uncached", "mirror", "nginx")
    shares = (("cached", "django"), ("django", "uncached"), ("cached", "nginx"),
              ("mirror", "nginx"), ("mirror", "cached"))  # fmt: skip
    print(f"{'page':8}" + "".join(f" {c + ' req/s':>14} {'p99':>9}" for c in columns)
          + "".join(f" {a + '/' + b:>15}" for a, b in shares))  # fmt: skip
    for name in PAGES:
        row = {column: results.get(column, {}).get(name) for column in columns}
        cells = "".join(f" {row[c][0]:14.0f} {row[c][1]:>9}" if row[c] else f" {'-':>14} {'-':>9}"
                        for c in columns)  # fmt: skip
        print(f"{name:8}{cells}" + "".join(f" {share(row[a], row[b]):>15}" for a, b in shares))


if __name__ == "__main__":
    main()
