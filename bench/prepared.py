"""What the prepared reads (posts.prepared) buy: a listing page's reads, and its whole page.

    .venv/bin/python bench/prepared.py [--posts 10000] [--rounds 7] [--repeat 200]

Builds the same generated blog as bench/serve.py in a scratch data dir (SQLite) and times,
in this process, the home page's and a label page's posts (a page of 10 plus one, with
their labels) read two ways, interleaved round by round: through the SQL compiled once
(`selectors.PostList`, what the pages use) and through the ORM queryset it is tested
against (`selectors.listing()`, `posts_with_all_labels`, with labels prefetched). Then the
whole uncached home and label pages through Django (no page cache), for the share.
Prints the median and range of each, in ms per read.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))


def per_call(function: Callable[[], object], repeat: int) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        function()
    return (time.perf_counter() - started) / repeat * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="dateline-bench-prepared-"))
    os.environ["DATELINE_PAGE_CACHE"] = "false"
    os.environ["DATELINE_HTTPS"] = "false"
    try:
        from serve import build_blog  # bench/serve.py's blog, so the figures compare

        build_blog(data_dir, args.posts, args.posts * 3, 200)
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)  # as serve does
        run(args)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run(args: argparse.Namespace) -> None:
    from django.test import Client

    from dateline.posts import selectors
    from dateline.posts.models import Label

    label = Label.objects.get(name="Topic 7")
    client = Client(HTTP_HOST="localhost")
    ways: dict[str, Callable[[], object]] = {
        "home posts, prepared": lambda: selectors.PostList()[0:11],
        "home posts, ORM": lambda: [list(p.labels.all()) for p in selectors.listing()[0:11]],
        "label posts, prepared": lambda: selectors.PostList("labels", [label])[0:11],
        "label posts, ORM": lambda: [
            list(p.labels.all()) for p in selectors.posts_with_all_labels([label])[0:11]
        ],
        "home page, uncached": lambda: client.get("/"),
        "label page, uncached": lambda: client.get("/search/label/Topic%207"),
    }
    for name, way in ways.items():  # warm: compile once, fill Django's own caches
        answer = way()
        assert "page" not in name or answer.status_code == 200, (name, answer.status_code)
    found: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(args.rounds):
        for name, way in ways.items():
            repeat = args.repeat if "posts" in name else max(args.repeat // 10, 5)
            found[name].append(per_call(way, repeat))
    print(f"{args.posts} posts, SQLite, {args.rounds} rounds; ms per read: median (range)")
    for name, times in found.items():
        print(f"  {name:24} {statistics.median(times):7.3f}  ({min(times):.3f}-{max(times):.3f})")


if __name__ == "__main__":
    main()
