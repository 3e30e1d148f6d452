"""Page metadata: trafilatura's readers, minus the parts a clip never uses.

`bare_extraction(with_metadata=True)` also hunts categories, tags and licences
and runs htmldate's slow extensive search; a clip needs none of that, and the
time matters (the benchmark holds us to 1.5x plain trafilatura).
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import (
    examine_meta,
    extract_author,
    extract_meta_json,
    extract_sitename,
    extract_title,
)
from trafilatura.settings import Document

logger = logging.getLogger(__name__)

_PUBLISHED = (
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @itemprop='datePublished' or @property='og:published_time'"
    " or @name='pubdate' or @name='publish-date']/@content"
    " | //time[@itemprop='datePublished']/@datetime"
)


def read_metadata(tree: HtmlElement, url: str) -> Document:
    """Title, author, canonical URL, site name, description and share image."""
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None  # a bare handle ("admin") is not a byline
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception:  # trafilatura's JSON-LD reader is known to trip on odd data
        logger.warning("JSON-LD metadata unreadable for %s", url, exc_info=True)
    metadata.title = metadata.title or extract_title(tree)
    metadata.author = metadata.author or extract_author(tree)
    metadata.url = _canonical(tree) or metadata.url  # og:url when no canonical link
    metadata.sitename = (metadata.sitename or extract_sitename(tree) or "").lstrip("@") or None
    metadata.clean_and_trim()
    return metadata


def _canonical(tree: HtmlElement) -> str | None:
    """`<link rel=canonical>`; trafilatura's reader also accepts `<base href>`, which is not one."""
    for href in tree.xpath("//head/link[contains(concat(' ', @rel, ' '), ' canonical ')]/@href"):
        if str(href).strip():
            return str(href).strip()
    return None


def published(tree: HtmlElement, url: str) -> datetime | None:
    """The full publication timestamp when the page states one, else htmldate's day."""
    for value in tree.xpath(_PUBLISHED):
        parsed = parse_datetime(str(value))
        if parsed is not None:
            return parsed
    day = find_date(
        tree,
        url=url,
        original_date=True,
        extensive_search=False,
        max_date=date.today().isoformat(),
    )
    return parse_datetime(day) if day else None


def parse_datetime(value: str) -> datetime | None:
    """ISO 8601 text to a datetime (a bare day becomes midnight), or None."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
