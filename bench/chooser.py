"""Fit the shares by which `_body.read_main` chooses between trafilatura and the region.

Usage: python bench/chooser.py WCXB_DIR [--guard SCRAPINGHUB_DIR] [--folds 5]

The chain of `_body.read_main` reads a page with trafilatura, then gives the page's main
region (see `_region`) the body when trafilatura kept less than a share of the region's
words; the share depends on what the page declares itself (`region_share`). This script
reads every page of WCXB's dev split once both ways (trafilatura's reading with the
region step off, and the region), scores both with WCXB's metric, and then tries every
set of shares on a small grid without extracting again: a page's choice needs only the
two word counts. It prints the figures of the shares in the code, of the best shares on
the whole split (in-sample), and of shares fitted with each fold of the split's sites
left out and scored on that fold (cross-validated; pages are grouped by registered
domain, so no site is both fitted and scored).

With `--guard`, the ScrapingHub articles (see bench/extraction.py) are read the same way
and only shares that keep their figure (shingle F1 of the averaged precision and recall)
at least at the code's are tried: a share that helps WCXB's pages can cost news articles
more. Change `_body.Shares` only when the cross-validated figure agrees.

The choice it simulates is checked against `read_main` with the code's shares on every
page; the number of pages where they differ is printed (the region's upper bound of
words, counted on the raw text, can differ from the walk's count on a few pages).
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import extraction, wcxb  # noqa: E402
from dateline.clipping._body import (  # noqa: E402
    SHARES,
    Shares,
    declared_type,
    description_body,
    read_main,
    region_share,
)
from dateline.clipping._metadata import read_metadata  # noqa: E402
from dateline.clipping._overlays import drop_overlays  # noqa: E402
from dateline.clipping._parse import load_html  # noqa: E402
from dateline.clipping._region import WORD, drop_repeats, main_region, region_root  # noqa: E402
from dateline.clipping.errors import ExtractionError  # noqa: E402
from dateline.clipping.extract import plain_text  # noqa: E402

# Shares on trial: the grid is coarse on purpose (a fine one fits the split's noise).
GRID = {
    "main": (0.5, 0.6, 0.7, 0.8, 0.9),
    "body": (0.3, 0.4, 0.5, 0.6, 0.7),
    "product": (0.05, 0.1, 0.2, 0.3, 0.5),
    "article": (0.0, 0.2, 0.3, 0.4, 0.5),
}
_NEVER = Shares(main=0.0, body=0.0, product=0.0, article=0.0)
Scorer = Callable[[str, str], tuple[float, float, float]]


@dataclass(frozen=True)
class Page:
    """One page's two readings: their word counts as the chain counts them, and scores
    (precision, recall, F1) by the page's benchmark."""

    kind: str
    site: str
    declared: str | None
    marked: bool
    kept: int  # trafilatura's reading (0: none)
    region: int  # the region's words before repeats are dropped (0: no region)
    kept_score: tuple[float, float, float]
    region_score: tuple[float, float, float]
    chosen_region: bool  # read_main's choice with the code's shares
    posts: bool  # read from a forum's posts: the region step never runs


def _words(body) -> int:
    return sum(len(WORD.findall(text)) for text in body.itertext())


def wcxb_score(text: str, truth: str) -> tuple[float, float, float]:
    return wcxb.word_scores(text, truth)


def shingle_score(text: str, truth: str) -> tuple[float, float, float]:
    precision, recall = extraction.precision_recall(text, truth)
    total = precision + recall
    return precision, recall, (2 * precision * recall / total if total else 0.0)


def read_page(
    key: str, url: str, html: bytes, truth: str, kind: str, score: Scorer = wcxb_score
) -> Page | None:
    url = url or "https://example.invalid/"
    tree = load_html(html)
    if tree is None:
        return None
    meta = read_metadata(tree, url)
    drop_overlays(tree)
    declared = declared_type(tree)
    root, marked = region_root(tree)
    posts = False
    try:
        reading = read_main(tree, url, _NEVER)
        kept, text = _words(reading.body), plain_text(reading.body)
        posts = reading.chosen == "posts"
    except ExtractionError:
        try:
            kept, text = 0, plain_text(description_body(meta.description))
        except ExtractionError:
            kept, text = 0, ""
    region_words, region_text = 0, ""
    if root is not None:
        region = main_region(root)
        region_words = _words(region)
        region_text = plain_text(drop_repeats(region))
    try:
        chosen_region = read_main(tree, url).chosen == "region"
    except ExtractionError:
        chosen_region = False
    host = urlsplit(url).hostname or key
    return Page(
        kind=kind,
        site=".".join(host.split(".")[-2:]),
        declared=declared,
        marked=marked,
        kept=kept,
        region=region_words,
        kept_score=score(text, truth),
        region_score=score(region_text, truth),
        chosen_region=chosen_region,
        posts=posts,
    )


def takes_region(page: Page, shares: Shares) -> bool:
    """`read_main`'s rule, on the counts alone."""
    share = region_share(page.declared, page.marked, shares)
    return not page.posts and page.region * share > page.kept


def _f1(page: Page, shares: Shares) -> float:
    return (page.region_score if takes_region(page, shares) else page.kept_score)[2]


def f1_by_kind(pages: list[Page], shares: Shares) -> dict[str, float]:
    values: dict[str, list[float]] = defaultdict(list)
    for page in pages:
        values["all"].append(_f1(page, shares))
        values[page.kind].append(_f1(page, shares))
    return {kind: statistics.fmean(found) for kind, found in values.items()}


def guard_f1(pages: list[Page], shares: Shares) -> float:
    """ScrapingHub's figure: F1 of the pages' averaged precision and recall."""
    scores = [
        page.region_score if takes_region(page, shares) else page.kept_score for page in pages
    ]
    precision = statistics.fmean(score[0] for score in scores)
    recall = statistics.fmean(score[1] for score in scores)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def trials(guard: list[Page]) -> list[Shares]:
    """Every set of shares on the grid that keeps the guard's figure at the code's."""
    every = [Shares(*values) for values in itertools.product(*GRID.values())]
    if not guard:
        return every
    floor = guard_f1(guard, SHARES) - 1e-9
    return [shares for shares in every if guard_f1(guard, shares) >= floor]


def best_shares(pages: list[Page], allowed: list[Shares]) -> Shares:
    return max(allowed, key=lambda shares: f1_by_kind(pages, shares)["all"])


def cross_validated(
    pages: list[Page], allowed: list[Shares], folds: int, seed: int
) -> dict[str, float]:
    """Fit on the other folds' sites, score each fold's pages; pooled over folds."""
    sites = sorted({page.site for page in pages})
    random.Random(seed).shuffle(sites)
    fold_of = {site: n % folds for n, site in enumerate(sites)}
    values: dict[str, list[float]] = defaultdict(list)
    for fold in range(folds):
        fitted = best_shares([p for p in pages if fold_of[p.site] != fold], allowed)
        for page in (p for p in pages if fold_of[p.site] == fold):
            values["all"].append(_f1(page, fitted))
            values[page.kind].append(_f1(page, fitted))
    return {kind: statistics.fmean(found) for kind, found in values.items()}


def _row(label: str, figures: dict[str, float]) -> str:
    kinds = ("all", *wcxb.KINDS)
    return f"{label:34}" + "".join(f" {figures.get(kind, 0.0):7.3f}" for kind in kinds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--guard", type=Path, help="ScrapingHub's folder: keep its figure")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    entries = wcxb.dev_pages(args.directory)
    read = (read_page(e.key, e.url, e.html, e.truth, e.kind) for e in entries)
    pages = [page for page in read if page is not None]
    guard: list[Page] = []
    if args.guard:
        read = (
            read_page(p.key, p.url, p.html, p.truth, p.kind, shingle_score)
            for p in extraction.load_pages(args.guard)
        )
        guard = [page for page in read if page is not None]
    differ = sum(takes_region(page, SHARES) != page.chosen_region for page in pages + guard)
    kinds = "".join(f" {kind[:7]:>7}" for kind in ("all", *wcxb.KINDS))
    print(f"{len(pages)} pages; simulated choice differs from read_main on {differ}")
    allowed = trials(guard)
    print(f"{len(allowed)} sets of shares tried" + (" (the guard's kept)" if guard else ""))
    print(f"{'shares':34}{kinds}" + ("   guard" if guard else ""))
    fitted = best_shares(pages, allowed)
    for label, shares in (
        ("never the region", _NEVER),
        ("code's shares", SHARES),
        ("best on the whole split", fitted),
    ):
        tail = f" {guard_f1(guard, shares):7.3f}" if guard else ""
        print(_row(label, f1_by_kind(pages, shares)) + tail)
    for seed in (1, 2):
        figures = cross_validated(pages, allowed, args.folds, seed)
        print(_row(f"{args.folds}-fold by site, seed {seed}", figures))
    print(f"code's:  {SHARES}\nfitted:  {fitted}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
