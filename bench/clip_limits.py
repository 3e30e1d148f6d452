"""What a page too large to clip costs, without and with the clip limits.

Usage: python bench/clip_limits.py [--links N] [--skip-unbounded]

Builds the finding's page (about 6.5 MB of HTML holding 120,000 links, twenty to a
paragraph) and a page of one paragraph of links (few elements, yet slow to extract),
then extracts each in a fresh process, printing wall time, the process's peak resident
memory once the page is built ("before") and its peak after extracting (the larger of
the process and, under the limits, its extraction child, which starts as a copy of it):

- unbounded: `extract_article` with no limits, as clips ran before the limits;
- limits: what a clip does now (`services.extract` with the default settings);
- element cap: the size cap lifted, to show the next guard working.

The one-paragraph page stays under both caps; the deadline stops it.

Each case runs in its own interpreter so one case's memory never counts for another.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = "Paragraph {i} with some words about the harbour, the ferry and the strike. "
URL = "https://news.example/link-farm"
DEFAULTS = {"max_bytes": 5_000_000, "max_elements": 25_000, "seconds": 10.0}


def link_farm(links: int) -> bytes:
    parts = ["<!doctype html><html lang='en'><head><title>Link farm</title></head>"
             "<body><article><h1>Link farm</h1>"]  # fmt: skip
    for i in range(links // 20):
        parts.append("<p>" + WORDS.format(i=i))
        parts.extend(f"<a href='/stories/{i}/{j}.html'>link number {j}</a> " for j in range(20))
        parts.append("</p>")
    parts.append("</article></body></html>")
    return "".join(parts).encode()


def one_paragraph(links: int) -> bytes:
    anchors = "".join(f"<a href='/s/{j}'>l{j}</a> " for j in range(links))
    head = "<html><head><title>Links</title></head><body><article><h1>Links</h1>"
    return f"{head}<p>{WORDS.format(i=0) * 5}{anchors}</p></article></body></html>".encode()


def _peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def one_case(page_name: str, links: int, mode: str) -> dict:
    """Run in a child interpreter: extract one page one way and report the cost."""
    sys.path.insert(0, str(ROOT))
    from dateline.clipping.bounded import run_with_deadline
    from dateline.clipping.errors import ClipError
    from dateline.clipping.extract import PageLimits, extract_article

    html = (link_farm if page_name == "link farm" else one_paragraph)(links)
    baseline = _peak_kb()
    started = time.perf_counter()
    child_kb = 0
    try:
        if mode == "unbounded":
            article = extract_article(html, URL)
        else:
            limits = PageLimits(
                max_bytes=None if mode != "limits" else DEFAULTS["max_bytes"],
                max_elements=DEFAULTS["max_elements"],
            )
            article, stats = run_with_deadline(html, URL, limits, DEFAULTS["seconds"])
            child_kb = stats.peak_rss_kb if stats else 0
        outcome = f"extracted ({len(article.body_html) / 1e6:.1f} MB of HTML)"
    except ClipError as error:
        outcome = error.message
    seconds = time.perf_counter() - started
    return {
        "page": f"{page_name}: {len(html) / 1e6:.1f} MB, {links:,} links",
        "mode": mode,
        "seconds": seconds,
        "baseline_mb": baseline / 1024,
        "peak_mb": max(_peak_kb(), child_kb) / 1024,
        "outcome": outcome,
    }


def run_case(page_name: str, links: int, mode: str, give_up: float) -> dict:
    command = [sys.executable, __file__, "--one", page_name, str(links), mode]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, check=True, env=environment, timeout=give_up
        )
    except subprocess.TimeoutExpired:
        unknown = float("nan")
        return {"page": f"{page_name}: {links:,} links", "mode": mode, "seconds": give_up,
                "baseline_mb": unknown, "peak_mb": unknown,
                "outcome": f"still running after {give_up:g} s"}  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=120_000, help="links on the link farm")
    parser.add_argument("--paragraph-links", type=int, default=20_000)
    parser.add_argument("--give-up", type=float, default=300, help="seconds for one case")
    parser.add_argument("--skip-unbounded", action="store_true", help="the slow 'before' runs")
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one_case(args.one[0], int(args.one[1]), args.one[2])))
        return 0
    cases = [("link farm", args.links, mode) for mode in ("unbounded", "limits", "element cap")]
    cases += [("one paragraph", args.paragraph_links, mode) for mode in ("unbounded", "limits")]
    print(f"{'page':40} {'mode':12} {'seconds':>8} {'before MB':>9} {'peak MB':>8}  outcome")
    for page_name, links, mode in cases:
        if args.skip_unbounded and mode == "unbounded":
            continue
        row = run_case(page_name, links, mode, args.give_up)
        print(f"{row['page']:40} {row['mode']:12} {row['seconds']:8.2f} "
              f"{row['baseline_mb']:9.0f} {row['peak_mb']:8.0f}  {row['outcome']}",
              flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
