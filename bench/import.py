"""Measure `dateline import` (`import_file`) on a generated Blogger export: posts per second
and peak memory.

Usage: .venv/bin/python bench/import.py [--posts 10000] [--comments 50000]
                                         [--postgres postgres://postgres@127.0.0.1:5432/test]

Writes a legacy Blogger export (3 labels a post, comments with replies) with our
own writer, then imports it in a fresh child process per database: SQLite in a
temporary, migrated data dir and, with --postgres, a scratch database
(`dateline_bench`, created on that server and dropped after). The peer figure is
the same file only parsed (no database), measured in the same run. Peak RSS is
the child's whole process (Python, Django, the import); "+N over setup" is what
the run added to the process after Django started; "reader" is the peak of the
process that reads and renders a big file alongside (`read_ahead`), if one ran.
Wall and CPU time are both shown (CPU of both processes): CPU time is the fairer
figure on a shared, busy machine. Goal (issue 5): 10,000
posts with 50,000 comments in under 10 s on SQLite, peak under 200 MB.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCRATCH_DB = "dateline_bench"
CHILDREN = resource.RUSAGE_CHILDREN
WORDS = [
    "minister", "talks", "border", "oil", "sanctions", "ceasefire", "port", "election",
    "court", "protest", "aid", "tanker", "strait", "parliament", "envoy", "drought",
    "refinery", "summit", "militia", "harbour", "inquiry",
]  # fmt: skip


def _records(posts: int, comments: int, seed: int = 7):
    from dateline.interchange.records import CommentRecord, PostRecord, SiteRecord

    rng = random.Random(seed)
    labels = [f"Label {n}" for n in range(300)]
    start = datetime(2005, 1, 1, tzinfo=UTC)
    yield SiteRecord(title="Bench blog", description="Generated")
    per_post, extra = divmod(comments, posts)
    number = 0
    for n in range(posts):
        when = start + timedelta(hours=7 * n)
        paragraphs = "".join(
            f"<p>{' '.join(rng.choices(WORDS, k=40))}.</p>" for _ in range(rng.randint(2, 5))
        )
        yield PostRecord(
            import_id=f"blogger:{n + 1}",
            title=" ".join(rng.choices(WORDS, k=6)).capitalize(),
            body=paragraphs,
            published=when,
            updated=when,
            path=f"/{when.year}/{when.month:02d}/post-{n + 1}.html",
            labels=tuple(rng.sample(labels, 3)),
            author_name="Editor",
        )
        for k in range(per_post + (1 if n < extra else 0)):
            number += 1
            yield CommentRecord(
                import_id=f"blogger:{10_000_000 + number}",
                post_import_id=f"blogger:{n + 1}",
                author_name=f"Reader {rng.randint(1, 500)}",
                body=f"{' '.join(rng.choices(WORDS, k=25))}.<br />See http://x.example/{k}",
                published=when + timedelta(minutes=k + 1),
                parent_import_id=f"blogger:{10_000_000 + number - 1}" if k % 3 == 2 else "",
            )


def generate(path: Path, posts: int, comments: int) -> None:
    from dateline.interchange.blogger_writer import write_blogger

    write_blogger(_records(posts, comments), path, blog_id="42", base_url="https://b.example")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def helper_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def child(file: Path, parse_only: bool) -> None:
    """Runs in a fresh process: migrate, then time the import (or only the parse)."""
    import django

    django.setup()
    from django.core.management import call_command

    from dateline.interchange.detect import read_export
    from dateline.interchange.import_file import import_file

    if not parse_only:
        call_command("migrate", verbosity=0)
    skipped: Counter[str] = Counter()
    baseline_mb = peak_rss_mb()  # Python + Django + every installed app, before reading
    started, cpu, reader_cpu = time.perf_counter(), cpu_seconds(), cpu_seconds(CHILDREN)
    if parse_only:
        held = Counter(type(r).__name__ for r in read_export(file, skipped=skipped))
        counts = {"posts": held["PostRecord"], "comments": held["CommentRecord"]}
    else:
        counts = import_file(file).counts()
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    reader_cpu = cpu_seconds(CHILDREN) - reader_cpu
    figures = {"seconds": seconds, "cpu": cpu + reader_cpu, "reader_cpu": reader_cpu,
               "peak_mb": peak_rss_mb(), "base_mb": baseline_mb,
               "reader_mb": helper_peak_rss_mb()}  # fmt: skip
    print(json.dumps({**figures, **counts}))


def run_child(file: Path, env: dict[str, str], parse_only: bool = False) -> dict:
    args = [sys.executable, __file__, "--child", str(file)] + (
        ["--parse-only"] if parse_only else []
    )
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode:
        sys.exit(f"benchmark child failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def postgres(file: Path, url: str, env: dict[str, str]) -> dict:
    """Import into a scratch database on the given server; drop it afterwards."""
    parts = urlsplit(url)
    scratch = urlunsplit(parts._replace(path=f"/{SCRATCH_DB}"))
    _admin(url, f"DROP DATABASE IF EXISTS {SCRATCH_DB}")
    _admin(url, f"CREATE DATABASE {SCRATCH_DB}")
    try:
        return run_child(file, {**env, "DATABASE_URL": scratch})
    finally:
        _admin(url, f"DROP DATABASE IF EXISTS {SCRATCH_DB} WITH (FORCE)")


def show(name: str, result: dict, peer: dict) -> None:
    rate = result["posts"] / result["seconds"]
    ratio = result["cpu"] / peer["cpu"]
    reader = ""
    if result.get("reader_mb"):
        reader = f"; reader {result['reader_mb']:.1f} MB, {result['reader_cpu']:.2f} s CPU"
    print(
        f"{name:<20} {result['seconds']:6.2f} s wall {result['cpu']:6.2f} s CPU "
        f"{rate:6.0f} posts/s  peak {result['peak_mb']:5.1f} MB "
        f"(+{result['peak_mb'] - result['base_mb']:.1f} over setup{reader})  "
        f"{ratio:.1f}x parse CPU"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=50_000)
    parser.add_argument("--postgres", metavar="URL", help="a server URL; a scratch DB is used")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--parse-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings.base")
    if args.child:
        child(args.child, args.parse_only)
        return
    with tempfile.TemporaryDirectory(prefix="dateline-bench-") as tmp:
        file = Path(tmp) / "blog-bench.xml"
        started = time.perf_counter()
        generate(file, args.posts, args.comments)
        size = file.stat().st_size / 1e6
        print(f"generated {file.name}: {args.posts} posts, {args.comments} comments, ", end="")
        print(f"{size:.1f} MB in {time.perf_counter() - started:.1f} s")
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["DATELINE_DATA_DIR"] = str(Path(tmp) / "data")
        peer = run_child(file, env, parse_only=True)
        show("parse only (peer)", peer, peer)
        show("import, SQLite", run_child(file, env), peer)
        if args.postgres:
            show("import, PostgreSQL", postgres(file, args.postgres, env), peer)


if __name__ == "__main__":
    main()
