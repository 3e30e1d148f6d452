"""Article extraction benchmark: our `extract_article` next to plain trafilatura.

Usage: python bench/extraction.py [DIR]

DIR is laid out as scrapinghub/article-extraction-benchmark: `html/HASH.html.gz`
and `ground-truth.json` (`{HASH: {"articleBody": ..., "url": ...}}`). Without DIR
it runs on the small self-test pages in bench/fixtures/extraction.

Metric (the benchmark's): per page, the sets of word 4-grams (shingles) of the
extracted text and of `articleBody` give a precision and a recall; both are
averaged over pages and F1 is taken from the two averages. Every extractor sees
the same bytes in the same run, page by page in turn, so the time ratio is fair
even on a machine shared with other work.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dateline.clipping.extract import ExtractionError, extract_article  # noqa: E402

DEFAULT_DIR = Path(__file__).resolve().parent / "fixtures" / "extraction"
SHINGLE = 4
_WORD = re.compile(r"\w+")

Extractor = Callable[[bytes, str], str]


@dataclass(frozen=True)
class Page:
    key: str
    url: str
    html: bytes
    truth: str


@dataclass(frozen=True)
class Score:
    name: str
    precision: float
    recall: float
    median_ms: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def shingles(text: str, n: int = SHINGLE) -> set[tuple[str, ...]]:
    """The set of word n-grams of `text` (a text shorter than n words is one shingle)."""
    words = _WORD.findall(text or "")
    if 0 < len(words) < n:
        return {tuple(words)}
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def precision_recall(predicted: str, truth: str) -> tuple[float, float]:
    """Shingle precision and recall of one page; empty output scores 0 precision."""
    pred, true = shingles(predicted), shingles(truth)
    hits = len(pred & true)
    precision = hits / len(pred) if pred else (1.0 if not true else 0.0)
    recall = hits / len(true) if true else 1.0
    return precision, recall


def load_pages(directory: Path) -> list[Page]:
    """Read the benchmark folder; a missing HTML file is an error, not a skipped page."""
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        raw = gzip.decompress((directory / "html" / f"{key}.html.gz").read_bytes())
        entry = truth[key]
        pages.append(Page(key, entry.get("url") or "", raw, entry.get("articleBody") or ""))
    return pages


def ours(html: bytes, url: str) -> str:
    try:
        return extract_article(html, url or "https://example.invalid/").body_text
    except ExtractionError:
        return ""


def plain(html: bytes, url: str) -> str:
    return trafilatura.extract(html) or ""


def precise(html: bytes, url: str) -> str:
    return trafilatura.extract(html, favor_precision=True) or ""


EXTRACTORS: dict[str, Extractor] = {
    "dateline extract_article": ours,
    "trafilatura default": plain,
    "trafilatura favor_precision": precise,
}


def score(extractors: dict[str, Extractor], pages: list[Page]) -> list[Score]:
    """Every extractor on page 1, then all on page 2, and so on.

    A burst of load from other processes then falls on all of them alike, not on
    whichever happened to be running; the order rotates from page to page, so none
    is always the first to touch a page's bytes.
    """
    names = list(extractors)
    results: dict[str, tuple[list[float], list[float], list[float]]] = {
        name: ([], [], []) for name in names
    }
    for index, page in enumerate(pages):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            precisions, recalls, times = results[name]
            started = time.perf_counter()
            text = extractors[name](page.html, page.url)
            times.append(time.perf_counter() - started)
            p, r = precision_recall(text, page.truth)
            precisions.append(p)
            recalls.append(r)
    return [
        Score(
            name,
            statistics.fmean(results[name][0]),
            statistics.fmean(results[name][1]),
            statistics.median(results[name][2]) * 1000,
        )
        for name in names
    ]


def run(directory: Path, rounds: int = 1) -> list[Score]:
    """Score every extractor; with rounds > 1, keep each one's best median."""
    pages = load_pages(directory)
    best: dict[str, Score] = {}
    for _ in range(rounds):
        for result in score(EXTRACTORS, pages):
            if result.name not in best or result.median_ms < best[result.name].median_ms:
                best[result.name] = result
    return [best[name] for name in EXTRACTORS]


def render(scores: list[Score], pages: int) -> str:
    lines = [
        f"{pages} pages",
        f"{'extractor':30} {'F1':>6} {'P':>6} {'R':>6} {'median ms':>10}",
    ]
    for s in scores:
        lines.append(
            f"{s.name:30} {s.f1:6.3f} {s.precision:6.3f} {s.recall:6.3f} {s.median_ms:10.1f}"
        )
    by_name = {s.name: s for s in scores}
    baseline = by_name["trafilatura default"].median_ms
    if baseline:
        ratio = by_name["dateline extract_article"].median_ms / baseline
        lines.append(f"time ratio dateline / trafilatura default: {ratio:.2f}x")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--rounds", type=int, default=1, help="repeat and keep the best median")
    args = parser.parse_args(argv)
    scores = run(args.directory, args.rounds)
    print(render(scores, len(load_pages(args.directory))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
