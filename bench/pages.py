"""Uncached live pages per blog size, on SQLite and PostgreSQL, one code tree against another.

    .venv/bin/python bench/pages.py build [--sizes 1000 10000 100000] [--postgres URL]
    .venv/bin/python bench/pages.py time [--sizes ...] [--postgres URL] [--rounds 5]
        [--tree new=. --tree old=/tmp/dateline-old]

`build` makes each blog once and keeps it under --keep (default
/tmp/dateline-bench-pages): bench/export.py's posts (200 labels, three per post, dated
back from 2025), imported with `dateline import`, into a SQLite file per size and, with
--postgres, a schema per size (`bench_<size>`, through `search_path`) in that database.

`time` reads the home, post, label and search pages (the URLs bench/export.py reads, and a
label page and a search page deeper in) through Django with the page cache off, PAGE_READS
requests each after one warm-up, in a fresh process per tree, size, engine and round.
Rounds alternate the trees (interleaved: the machine is shared, its speed drifts), and
before a tree runs, the database is migrated to that tree's newest migrations (by the
newest tree, which knows them all), so an old tree never meets a new index. Prints each
page's median over every request of every round and the range of the round medians, and
the load average at each round; then the same in CPU time of the Django process.
Figures go to stdout only.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.blogenv import blog_environment  # noqa: E402

PAGE_READS = 15
CLOCKS = {
    "wall": "wall clock",
    "cpu": "CPU time of the Django process (steadier on a shared machine; on SQLite it "
    "holds the database's work, on PostgreSQL not the server's)",
}
PAGES = {
    "home": "/",
    "post": None,  # the 501st newest post, as bench/export.py reads
    "label": "/search/label/Topic%20007",
    "label p2": "/search/label/Topic%20007?page=2",
    "search": "/search?q=harbour+ferry",
    "search p5": "/search?q=harbour+ferry&page=5",
}


def environment(data_dir: Path, database: str | None) -> dict[str, str]:
    return blog_environment(data_dir, "pages", DATELINE_STATIC_MIRROR="",
                            DATABASE_URL=database or "")  # fmt: skip


def postgres_url(base: str, n: int) -> str:
    return f"{base}?options=-c%20search_path%3Dbench_{n}"


def targets(size_dir: Path) -> list[tuple[str, str]]:
    """(engine, database URL or "") for each blog kept for one size."""
    found = [("sqlite", "")]
    marker = size_dir / "postgres.json"
    if marker.exists():
        found.append(("postgresql", json.loads(marker.read_text())["url"]))
    return found


def build(n: int, keep: Path, postgres: str | None) -> None:
    """One blog of n posts per engine, unless it is there already."""
    from bench.export import generate

    size_dir = keep / str(n)
    posts = size_dir / "posts"
    if not posts.exists():
        generate(n, posts, None)
    engines = [("sqlite", None)] + ([("postgresql", postgres)] if postgres else [])
    for engine, base in engines:
        data_dir = size_dir / engine
        done = data_dir / "built"
        if done.exists():
            continue
        data_dir.mkdir(parents=True, exist_ok=True)
        url = postgres_url(base, n) if base else None
        if url:
            import psycopg

            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA IF EXISTS bench_{n} CASCADE")
                conn.execute(f"CREATE SCHEMA bench_{n}")
        env = environment(data_dir, url)
        cli = [sys.executable, "-m", "dateline.cli"]
        wall = time.perf_counter()
        subprocess.run([*cli, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*cli, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                       check=True)  # fmt: skip
        subprocess.run([*cli, "import", str(posts)], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        print(f"built {n:,} posts on {engine} in {time.perf_counter() - wall:.0f} s", flush=True)
        if url:
            (size_dir / "postgres.json").write_text(json.dumps({"url": url}))
        done.touch()


def newest_migrations(tree: Path) -> dict[str, str]:
    """Each app's newest migration in a tree, by name."""
    found: dict[str, str] = {}
    for folder in sorted((tree / "dateline").glob("*/migrations")):
        names = sorted(p.stem for p in folder.glob("0*.py"))
        if names:
            found[folder.parent.name] = names[-1]
    return found


def migrate_to(tree: Path, newest: Path, env: dict[str, str]) -> None:
    """Migrate to `tree`'s newest migrations, run by the `newest` tree's code."""
    cli = [sys.executable, "-m", "dateline.cli"]
    subprocess.run([*cli, "migrate", "-v0"], cwd=newest, env=env, check=True)
    for app, name in newest_migrations(tree).items():
        if newest_migrations(newest).get(app) != name:
            subprocess.run([*cli, "migrate", app, name, "-v0"], cwd=newest, env=env, check=True)


def child(result: Path) -> None:
    """Run inside the tree being timed: read each page PAGE_READS times."""
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    from django.test import Client

    from dateline.posts.models import Post

    client = Client(HTTP_HOST="localhost")
    published = Post.objects.published().order_by("-published_at")
    post = published[500 % published.count()]
    found: dict[str, dict[str, list[float]]] = {clock: {} for clock in CLOCKS}
    for name, url in PAGES.items():
        url = url or post.path
        walls, cpus = [], []
        for _ in range(PAGE_READS + 1):
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            if response.status_code != 200:  # the time budget's 503 is a finding, not a crash
                print(f"  {url}: status {response.status_code}", file=sys.stderr)
        found["wall"][name], found["cpu"][name] = walls[1:], cpus[1:]  # the first warms up
    result.write_text(json.dumps(found))


def time_pages(sizes: list[int], keep: Path, trees: dict[str, Path], rounds: int) -> None:
    newest = next(iter(trees.values()))
    # figures[(clock, n, engine, tree, page)] = [round medians], every request too
    medians: dict[tuple, list[float]] = {}
    every: dict[tuple, list[float]] = {}
    for round_ in range(rounds):
        for n in sizes:
            for engine, url in targets(keep / str(n)):
                for name, tree in trees.items():
                    env = environment(keep / str(n) / engine, url or None)
                    migrate_to(tree, newest, env)
                    load = os.getloadavg()[0]
                    with tempfile.NamedTemporaryFile(suffix=".json") as out:
                        command = [sys.executable, str(Path(__file__).resolve()), "child", out.name]
                        subprocess.run(command, cwd=tree, env=env, check=True)
                        found = json.loads(Path(out.name).read_text())
                    print(f"round {round_ + 1}, {n:,} posts, {engine}, {name} "
                          f"(load {load:.2f}): " + "; ".join(
                              f"{page} {statistics.median(t) * 1000:.1f}"
                              for page, t in found["wall"].items()), flush=True)  # fmt: skip
                    for clock, pages in found.items():
                        for page, times in pages.items():
                            key = (clock, n, engine, name, page)
                            medians.setdefault(key, []).append(statistics.median(times))
                            every.setdefault(key, []).extend(times)
    for n in sizes:  # leave every blog on the newest tree's migrations
        for engine, url in targets(keep / str(n)):
            migrate_to(newest, newest, environment(keep / str(n) / engine, url or None))
    for clock, title in CLOCKS.items():
        print(f"\nms, {title}: median of every request (range of the round medians)")
        for n in sizes:
            for engine, _ in targets(keep / str(n)):
                for name in trees:
                    cells = []
                    for page in PAGES:
                        key = (clock, n, engine, name, page)
                        low, high = min(medians[key]) * 1000, max(medians[key]) * 1000
                        median = statistics.median(every[key]) * 1000
                        cells.append(f"{page} {median:.1f} ({low:.1f}-{high:.1f})")
                    print(f"{n:>7,} {engine:<10} {name:<4} " + "; ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["build", "time", "child"])
    parser.add_argument("result", nargs="?", help=argparse.SUPPRESS)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    keep = Path(tempfile.gettempdir()) / "dateline-bench-pages"
    parser.add_argument("--keep", type=Path, default=keep)
    parser.add_argument("--postgres", help="postgres://… of a database the bench may use")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tree", action="append", default=[],
                        help="name=path of a checkout; the first is the newest")  # fmt: skip
    args = parser.parse_args()
    if args.action == "child":
        child(Path(args.result))
    elif args.action == "build":
        for n in args.sizes:
            build(n, args.keep, args.postgres)
    else:
        trees = dict(item.split("=", 1) for item in args.tree) or {"new": str(ROOT)}
        time_pages(args.sizes, args.keep, {k: Path(v).resolve() for k, v in trees.items()},
                   args.rounds)  # fmt: skip


if __name__ == "__main__":
    main()
