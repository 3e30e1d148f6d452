"""Search speed on SQLite FTS5: our ranked page query next to a plain bm25 query.

Usage: .venv/bin/python bench/search.py [--posts 100000] [--queries 40] [--keep DIR]

Generates N posts of about 3 KB from a Zipf-distributed vocabulary into a fresh,
migrated SQLite database in a temporary data dir, builds the index with
`dateline search rebuild`'s code, then times top-20 queries per class:

  baseline  SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY bm25(…) LIMIT 20
  ranked    the backend's ranked page (visibility filter, weighted bm25, rank window)
  page      the whole search service: facets, ranked page, snippets, posts

Figures go to stdout only; tests never assert on time.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

VOCABULARY = 50_000
WORDS_PER_POST = 450  # about 3 KB of text
SYLLABLES = [
    "ba",
    "be",
    "bi",
    "bo",
    "bu",
    "da",
    "de",
    "di",
    "do",
    "ka",
    "ke",
    "ki",
    "ko",
    "la",
    "le",
    "li",
    "lo",
    "ma",
    "me",
    "mi",
    "mo",
    "na",
    "ne",
    "ni",
    "no",
    "ra",
    "re",
    "ri",
    "ro",
    "sa",
    "se",
    "si",
    "so",
    "ta",
    "te",
    "ti",
    "to",
    "va",
    "ve",
    "vi",
    "zo",
]


def setup_django(data_dir: str) -> None:
    os.environ["DATELINE_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "dateline.settings.base"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Made-up words and Zipf (s=1) cumulative weights: word r is 1/r as likely as word 1."""
    words: set[str] = set()
    while len(words) < VOCABULARY:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    ordered = sorted(words)
    rng.shuffle(ordered)
    cumulative, total = [], 0.0
    for rank in range(1, VOCABULARY + 1):
        total += 1.0 / rank
        cumulative.append(total)
    return ordered, cumulative


def generate(count: int, words: list[str], weights: list[float], rng: random.Random) -> None:
    """Write `count` published posts with labels straight to the database (no signals)."""
    from dateline.posts.models import Label, Post

    labels = Label.objects.bulk_create(
        [Label(name=f"Topic {n}", key=f"topic {n}") for n in range(200)]
    )
    start = datetime(2010, 1, 1, tzinfo=UTC)
    through = Post.labels.through
    for first in range(0, count, 2000):
        posts = []
        for n in range(first, min(count, first + 2000)):
            text = rng.choices(words, cum_weights=weights, k=WORDS_PER_POST)
            paragraphs = [" ".join(text[i : i + 90]) for i in range(0, WORDS_PER_POST, 90)]
            posts.append(Post(
                title=" ".join(rng.choices(words, cum_weights=weights, k=7)).capitalize(),
                slug=f"p{n}", path=f"/p/{n}.html", status=Post.Status.PUBLISHED,
                body_format=Post.BodyFormat.HTML, body_source="",
                body_html="".join(f"<p>{p}.</p>" for p in paragraphs),
                published_at=start + timedelta(minutes=50 * n),
            ))  # fmt: skip
        created = Post.objects.bulk_create(posts)
        through.objects.bulk_create([
            through(post_id=post.pk, label_id=label.pk)
            for post in created for label in rng.sample(labels, rng.randint(1, 3))
        ])  # fmt: skip


def document_frequencies() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, search_fts, 'row')")
        cursor.execute("SELECT term, doc FROM temp.vocab")
        return dict(cursor.fetchall())


def query_classes(words: list[str], df: dict[str, int], posts: int, rng: random.Random, n: int):
    """Query texts per class, chosen by how many posts each word is in."""

    def band(low: float, high: float) -> list[str]:
        found = [w for w in words[:5000] if low * posts <= df.get(w, 0) <= high * posts]
        return rng.sample(found, min(n, len(found)))

    mid = band(0.01, 0.05)
    common = band(0.25, 0.35)
    top = sorted(df, key=df.get, reverse=True)[:n]
    pairs = [f"{a} {b}" for a, b in zip(band(0.01, 0.05), band(0.03, 0.15), strict=False)]
    mix = [*mid[: n // 2], *pairs[: n // 2]]
    return {
        "one mid-frequency word": mid,
        "two words": pairs,
        "mix of one and two words": mix,
        "common words (25-35 % of posts)": common,
        "most common words (in ~all posts)": top[: max(5, n // 4)],
        "phrase": [f'"{a} {b}"' for a, b in zip(top[:n], mid, strict=False)],
        "prefix": [w[:4] + "*" for w in mid],
    }


def timed(run: Callable[[str], object], queries: list[str], repeat: int = 3) -> list[float]:
    """Milliseconds per query; each query runs once untimed first (a warm cache)."""
    times = []
    for text in queries:
        run(text)
        for _ in range(repeat):
            started = time.perf_counter()
            run(text)
            times.append((time.perf_counter() - started) * 1000)
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def runners(posts: int) -> dict[str, Callable[[str], object]]:
    from django.db import connection
    from django.utils import timezone

    from dateline.search.backends import Filters, get_backend
    from dateline.search.query import fts5_match, parse_query
    from dateline.search.service import SearchParams, search

    backend = get_backend()

    def baseline(text: str) -> object:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
                "ORDER BY bm25(search_fts) LIMIT 20",
                [fts5_match(parse_query(text))],
            )
            return cursor.fetchall()

    totals: dict[str, int] = {}  # the page knows the total from its facets

    def ranked(text: str) -> object:
        query, filters = parse_query(text), Filters(now=timezone.now())
        if text not in totals:
            totals[text] = sum(count for _, count in backend.month_counts(query, filters))
        return backend.ranked_ids(query, filters, 0, 20, total=totals[text])

    def page(text: str) -> object:
        return search(SearchParams(text), 20).results

    return {"baseline": baseline, "ranked": ranked, "page": page}


def report(classes: dict[str, list[str]], posts: int) -> None:
    run = runners(posts)
    print(f"\n{'query class':36} {'n':>3}  {'baseline p50/p95':>17}  {'ranked p50/p95':>15}"
          f"  {'ratio p95':>9}  {'whole page p50/p95':>18}")  # fmt: skip
    for name, queries in classes.items():
        if not queries:
            continue
        figures = {label: timed(runner, queries) for label, runner in run.items()}
        base, ours, page = figures["baseline"], figures["ranked"], figures["page"]
        print(
            f"{name:36} {len(queries):>3}"
            f"  {statistics.median(base):7.1f} / {percentile(base, 0.95):6.1f}"
            f"  {statistics.median(ours):6.1f} / {percentile(ours, 0.95):6.1f}"
            f"  {percentile(ours, 0.95) / percentile(base, 0.95):9.2f}"
            f"  {statistics.median(page):8.1f} / {percentile(page, 0.95):6.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=40, help="queries per class")
    parser.add_argument("--keep", help="use (and keep) this data dir instead of a temporary one")
    args = parser.parse_args()
    data_dir = args.keep or tempfile.mkdtemp(prefix="dateline-bench-search-")
    setup_django(data_dir)
    rng = random.Random(20240501)
    words, weights = vocabulary(rng)
    from dateline.posts.models import Post
    from dateline.search import indexing

    if not Post.objects.exists():  # --keep on a second run reuses the corpus and index
        started = time.perf_counter()
        generate(args.posts, words, weights, rng)
        print(f"generated {args.posts:,} posts in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        indexed = indexing.rebuild()
        print(f"index build: {indexed:,} posts in {time.perf_counter() - started:.1f} s")
    print(f"data dir: {data_dir}")
    classes = query_classes(words, document_frequencies(), args.posts, rng, args.queries)
    report(classes, args.posts)


if __name__ == "__main__":
    main()
