"""The Web Content Extraction Benchmark (WCXB): its splits and its metric.

WCXB (github.com/Murrough-Foley/web-content-extraction-benchmark, CC-BY-4.0) is kept
outside the repository; give its checkout's folder or a split's folder in it. Its
layout, for each split (`dev`, the held-out `test`): `dev/html/ID.html.gz` and
`dev/ground-truth/ID.json`, whose `ground_truth.main_content`
is the page's main text and whose `_internal.page_type.primary` is one of seven page
types ("category" counts as "collection", as in the benchmark's own evaluate.py).

Its metric, written here from that script's description: the text is lowercased and cut
into `\\w+` tokens; precision and recall are the overlap of the two bags of words (counts
matter) over the bag of the extraction and of the truth; the F1 of each page is averaged
over pages. Only pages whose truth has text are scored, and a page whose HTML is the
same bytes as an earlier one is scored once.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

KINDS = ("article", "forum", "product", "collection", "listing", "documentation", "service")
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Entry:
    key: str
    url: str
    html: bytes
    truth: str
    kind: str


def tokens(text: str) -> list[str]:
    return _TOKEN.findall((text or "").lower())


def word_scores(predicted: str, truth: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1 of one page."""
    pred, true = Counter(tokens(predicted)), Counter(tokens(truth))
    if not true:
        return (1.0, 1.0, 1.0) if not pred else (0.0, 0.0, 0.0)
    if not pred:
        return 0.0, 0.0, 0.0
    overlap = sum((pred & true).values())
    precision = overlap / sum(pred.values())
    recall = overlap / sum(true.values())
    total = precision + recall
    return precision, recall, (2 * precision * recall / total if total else 0.0)


def page_kind(record: dict) -> str:
    kind = ((record.get("_internal") or {}).get("page_type")) or "article"
    if isinstance(kind, dict):
        kind = kind.get("primary") or "article"
    return "collection" if kind == "category" else str(kind)


def dev_pages(directory: Path) -> Iterator[Entry]:
    """The dev split's unique pages with text (`split_pages`)."""
    return split_pages(directory, "dev")


def split_pages(directory: Path, name: str) -> Iterator[Entry]:
    """A split's unique pages with text, in file order; a missing file is an error.

    `directory` is the WCXB checkout or the split's folder itself.
    """
    split = directory if (directory / "ground-truth").is_dir() else directory / name
    truth_dir = split / "ground-truth"
    if not truth_dir.is_dir():
        raise SystemExit(f"{truth_dir} is missing: give the WCXB checkout's folder")
    seen: set[str] = set()
    for path in sorted(truth_dir.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        truth = ((record.get("ground_truth") or {}).get("main_content") or "").strip()
        if not tokens(truth):
            continue
        html = gzip.decompress((split / "html" / f"{path.stem}.html.gz").read_bytes())
        digest = hashlib.sha256(html).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        yield Entry(path.stem, record.get("url") or "", html, truth, page_kind(record))
