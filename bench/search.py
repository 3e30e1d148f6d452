"""Search speed on SQLite FTS5: our ranked page query next to a plain bm25 query.

Usage: .venv/bin/python bench/search.py [--posts 100000] [--queries 40] [--keep DIR]

Generates N posts of about 3 KB from a Zipf-distributed vocabulary into a fresh,
migrated SQLite database in a temporary data dir, builds the index with
`dateline search rebuild`'s code, then times top-20 queries per class:

  baseline  SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY bm25(…) LIMIT 20
            (the words only: no filters)
  ranked    the backend's ranked page (visibility and the query's filters, weighted bm25,
            within the match window)
  page      the whole search service: facets, ranked page, snippets, posts

A query is a search URL's query string, so the filter classes (a date range, a label)
read their filters as the search page does. Prefix classes use the shortest prefix the
parser keeps (3 letters) and the most it keeps at once (2); "hostile" is the finding that
pinned a worker: eight 2-letter prefixes, over the whole date range.

--cap stops any one query after that many seconds (reported as the cap), so the code
before the plan fix can be measured without waiting minutes per query.

Figures go to stdout only; tests never assert on time.
"""

import argparse
import dataclasses
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

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


FIRST_DAY = datetime(2010, 1, 1, tzinfo=UTC)


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
    start = FIRST_DAY
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
    plain = {
        "one mid-frequency word": mid,
        "two words": pairs,
        "mix of one and two words": mix,
        "common words (25-35 % of posts)": common,
        "most common words (in ~all posts)": top[: max(5, n // 4)],
        "phrase": [f'"{a} {b}"' for a, b in zip(top[:n], mid, strict=False)],
        "prefix (4 letters)": [w[:4] + "*" for w in mid],
        "prefix (3 letters)": [w[:3] + "*" for w in common],
        "two prefixes (3 letters)": [
            f"{a[:3]}* {b[:3]}*" for a, b in zip(common, mid, strict=False)
        ],
    }
    classes = {name: [urlencode({"q": text}) for text in texts] for name, texts in plain.items()}
    days = (posts * 50) // (24 * 60)  # the generated posts are 50 minutes apart from 2010

    def month() -> str:
        first = FIRST_DAY + timedelta(days=rng.randrange(max(1, days - 31)))
        return f"from={first:%Y-%m-%d}&to={first + timedelta(days=30):%Y-%m-%d}"

    def prefixed(words: list[str], extra: Callable[[], str]) -> list[str]:
        return [f"{urlencode({'q': w[:3] + '*'})}&{extra()}" for w in words]

    def label() -> str:
        return f"label=Topic+{rng.randrange(200)}"

    everything = "from=0001-01-01&to=9999-12-31"
    classes |= {
        "filtered prefix: whole date range": prefixed(common, lambda: everything),
        "filtered prefix: one month": prefixed(common, month),
        "filtered prefix: one label": prefixed(common, label),
        "filtered two prefixes: label, month": [
            f"{urlencode({'q': f'{a[:3]}* {b[:3]}*'})}&{label()}&{month()}"
            for a, b in zip(common, mid, strict=False)
        ],
        "filtered common word: one month": [f"{urlencode({'q': w})}&{month()}" for w in common],
        "hostile: 8 two-letter prefixes, all dates": [
            urlencode({"q": " ".join(f"{rng.choice(SYLLABLES)}*" for _ in range(8))})
            + f"&{everything}"
            for _ in range(max(2, n // 4))
        ],
    }
    return classes


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


def capped(run: Callable[[str], object], seconds: float) -> Callable[[str], object]:
    """`run`, its SQLite statements interrupted once the query has taken `seconds`."""
    from django.db import OperationalError, connection

    def limited(text: str) -> object:
        connection.ensure_connection()
        deadline = time.monotonic() + seconds
        connection.connection.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
        try:
            return run(text)
        except OperationalError:  # interrupted: it counts as the cap
            while time.monotonic() < deadline:
                time.sleep(0.001)
            return None
        finally:
            connection.connection.set_progress_handler(None, 0)

    return limited


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def runners(posts: int, cap: float | None) -> dict[str, Callable[[str], object]]:
    from django.db import connection
    from django.http import QueryDict

    from dateline.search import service
    from dateline.search.backends import get_backend
    from dateline.search.query import fts5_match, parse_query

    backend = get_backend()

    def read(query_string: str):
        params = service.params_from(QueryDict(query_string))
        labels, _ = service._labels_named(params.labels)
        return params, service._filters(params, labels)

    def baseline(query_string: str) -> object:
        params, _ = read(query_string)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
                "ORDER BY bm25(search_fts) LIMIT 20",
                [fts5_match(parse_query(params.text))],
            )
            return cursor.fetchall()

    def ranked(query_string: str) -> object:
        params, filters = read(query_string)
        query = parse_query(params.text)
        after = backend.window_start(query, filters)  # as the page: its newest matches
        if after is not None:
            filters = dataclasses.replace(filters, after=after)
        return backend.ranked_ids(query, filters, 0, 20)

    def page(query_string: str) -> object:
        return service.search(read(query_string)[0], 20).results

    found = {"baseline": baseline, "ranked": ranked, "page": page}
    return {name: capped(run, cap) if cap else run for name, run in found.items()}


def report(classes: dict[str, list[str]], posts: int, repeat: int, cap: float | None) -> None:
    run = runners(posts, cap)
    print(f"\n{'query class':42} {'n':>3}  {'baseline p50/p95':>17}  {'ranked p50/p95':>15}"
          f"  {'whole page p50 / p95 / worst':>28}  worst page query")  # fmt: skip
    for name, queries in classes.items():
        if not queries:
            continue
        figures = {label: timed(runner, queries, repeat) for label, runner in run.items()}
        base, ours, page = figures["baseline"], figures["ranked"], figures["page"]
        worst = max(range(len(page)), key=page.__getitem__) // repeat
        print(
            f"{name:42} {len(queries):>3}"
            f"  {statistics.median(base):7.1f} / {percentile(base, 0.95):6.1f}"
            f"  {statistics.median(ours):6.1f} / {percentile(ours, 0.95):6.1f}"
            f"  {statistics.median(page):8.1f} / {percentile(page, 0.95):6.1f} / {max(page):7.1f}"
            f"  {queries[worst]}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=40, help="queries per class")
    parser.add_argument("--keep", help="use (and keep) this data dir instead of a temporary one")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each query")
    parser.add_argument("--cap", type=float, help="stop any one query after this many seconds")
    parser.add_argument("--only", help="run only the query classes whose name holds this")
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
    posts = Post.objects.count()
    classes = query_classes(words, document_frequencies(), posts, rng, args.queries)
    if args.only:
        classes = {name: queries for name, queries in classes.items() if args.only in name}
    report(classes, posts, args.repeat, args.cap)


if __name__ == "__main__":
    main()
