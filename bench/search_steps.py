"""Where a search page's time goes, step by step, on blogs of several sizes.

    .venv/bin/python bench/search_steps.py --keep DIR [--sizes 1000 10000 100000]
                                           [--query "harbour ferry"] [--repeat 30]
    DATABASE_URL=postgres://… .venv/bin/python bench/search_steps.py --sizes 100000

Reads the blogs `bench/export.py --keep DIR` imported (DIR/<n>-data, SQLite), in place
and without writing; with DATABASE_URL set, that database instead (one size: the number
only labels the column; static files are collected into a temporary data folder). Each
size runs in a process of its own and times, median of `--repeat` runs each, the CPU
seconds of that process (the machine is shared: CPU time moves less than wall time; on
PostgreSQL it leaves out the server's work) and the wall time:

  window    the id past the newest MATCH_WINDOW matches (SearchBackend.window_start)
  months    the month facet, whose sum is the count
  ranked    one page of ranked ids
  idf       on SQLite, bm25 of one match only: FTS5 weighs each searched phrase by the
            share of all posts that hold it, counted over the whole index on the first
            bm25 call of a query, so this is the part of `ranked` that grows with the blog
  snippets  the page's highlighted excerpts
  posts     the page's posts, as every listing loads them
  labels    the label facet
  search    the whole service (search.service.search)
  page      the page through Django's test client, page cache off
Then prints two tables (CPU, wall), a row per step and a column per size.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.blogenv import blog_environment  # noqa: E402

STEPS = ["window", "months", "ranked", "idf", "snippets", "posts", "labels", "search", "page"]


def environment(data_dir: Path) -> dict[str, str]:
    return blog_environment(data_dir, "search-steps")


def medians(step: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(CPU seconds, wall seconds), each the median of `repeat` runs."""
    step()  # warms the process (compiled queries, templates)
    used, walls = [], []
    for _ in range(repeat):
        started, wall = time.process_time(), time.perf_counter()
        step()
        used.append(time.process_time() - started)
        walls.append(time.perf_counter() - wall)
    return statistics.median(used), statistics.median(walls)


def measure(query_text: str, repeat: int) -> dict[str, tuple[float, float] | None]:
    """In the child: every step of one search, timed."""
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client

    from dateline.posts import selectors
    from dateline.search import service
    from dateline.search.backends import get_backend
    from dateline.search.backends.sqlite_fts5 import SqliteFts5Backend
    from dateline.search.query import fts5_match, parse_query

    backend = get_backend()
    params = service.params_from(QueryDict.fromkeys(["q"], query_text))
    query = parse_query(params.text)
    filters = service._filters(params, [])
    after = backend.window_start(query, filters)
    windowed = filters if after is None else replace(filters, after=after)
    ids = backend.ranked_ids(query, windowed, 0, 10)

    def idf() -> object:
        sql = ("SELECT bm25(search_fts) FROM search_fts WHERE search_fts MATCH %s "
               "AND rowid > %s LIMIT 1")  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(sql, [fts5_match(query), after or 0])
            return cursor.fetchall()

    client = Client(HTTP_HOST="localhost")
    url = "/search?" + QueryDict.fromkeys(["q"], query_text).urlencode()
    steps: dict[str, Callable[[], object] | None] = {
        "window": lambda: backend.window_start(query, filters),
        "months": lambda: backend.month_counts(query, windowed),
        "ranked": lambda: backend.ranked_ids(query, windowed, 0, 10),
        "idf": idf if isinstance(backend, SqliteFts5Backend) else None,
        "snippets": lambda: backend.snippets(query, ids),
        "posts": lambda: selectors.posts_with_ids(ids),
        "labels": lambda: backend.label_counts(query, windowed, service.LABEL_FACETS),
        "search": lambda: service.search(params, 10),
        "page": lambda: client.get(url),
    }
    return {name: None if step is None else medians(step, repeat)
            for name, step in steps.items()}  # fmt: skip


def child(data_dir: Path, query_text: str, repeat: int) -> None:
    os.environ.update(environment(data_dir))
    import django

    django.setup()
    if os.environ.get("DATABASE_URL"):  # a fresh data folder: the page names static files
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
    print(json.dumps(measure(query_text, repeat)))


def run_size(n: int, keep: Path | None, query_text: str, repeat: int) -> dict:
    if keep is None:  # DATABASE_URL: a fresh data folder, which holds only static files
        with tempfile.TemporaryDirectory() as data_dir:
            return _measured(Path(data_dir), query_text, repeat)
    data_dir = keep / f"{n}-data"
    if not (data_dir / "dateline.sqlite3").is_file():
        raise SystemExit(f"{data_dir}: no kept blog (run bench/export.py --keep {keep} first)")
    return _measured(data_dir, query_text, repeat)


def _measured(data_dir: Path, query_text: str, repeat: int) -> dict:
    command = [sys.executable, __file__, "--child", str(data_dir), query_text, str(repeat)]
    found = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(found.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="bench/export.py's --keep folder")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--query", default="harbour ferry")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), args.child[1], int(args.child[2]))
        return
    if args.keep is None and not os.environ.get("DATABASE_URL"):
        parser.error("give --keep DIR (SQLite blogs from bench/export.py) or set DATABASE_URL")
    keep = None if os.environ.get("DATABASE_URL") else args.keep.resolve()
    sizes = args.sizes if keep is not None else args.sizes[:1]
    results = {n: run_size(n, keep, args.query, args.repeat) for n in sizes}
    for column, kind in ((0, "CPU"), (1, "wall")):
        print(f"search {args.query!r}: {kind} ms per step, median of {args.repeat}; "
              f"load {os.getloadavg()[0]:.1f}")  # fmt: skip
        print("step".ljust(10) + "".join(f"{n:>12,}" for n in sizes))
        for step in STEPS:
            cells = [results[n][step] for n in sizes]
            print(step.ljust(10) + "".join("           -" if cell is None
                                           else f"{cell[column] * 1000:12.2f}"
                                           for cell in cells))  # fmt: skip


if __name__ == "__main__":
    main()
