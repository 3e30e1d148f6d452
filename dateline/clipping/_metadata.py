"""Page metadata: trafilatura's readers, minus the parts a clip never uses.

`bare_extraction(with_metadata=True)` also hunts categories, tags and licences
and runs htmldate's slow extensive search; a clip needs none of that, and the
time matters (the benchmark holds us to 1.5x plain trafilatura). The byline
search is our own copy of trafilatura's (see `find_author`): the same tests,
without Python regex callbacks on every element and without copying the page.
"""

from __future__ import annotations

import copy
import json
import logging
import re
from datetime import date, datetime
from html import unescape

from htmldate import find_date
from lxml.etree import XPath, _Element
from lxml.html import HtmlElement
from trafilatura.json_metadata import extract_json, extract_json_parse_error
from trafilatura.metadata import (
    examine_meta,
    extract_sitename,
    extract_title,
    normalize_authors,
)
from trafilatura.settings import Document
from trafilatura.utils import HTML_STRIP_TAGS, trim
from trafilatura.xml import delete_element

logger = logging.getLogger(__name__)

# Compiled once: `tree.xpath(text)` compiles its expression on every call.
_PUBLISHED = XPath(
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @itemprop='datePublished' or @property='og:published_time'"
    " or @name='pubdate' or @name='publish-date']/@content"
    " | //time[@itemprop='datePublished']/@datetime",
    smart_strings=False,
)
_CANONICAL = XPath(
    "//head/link[contains(concat(' ', @rel, ' '), ' canonical ')]/@href", smart_strings=False
)


# trafilatura 2.3.1's AUTHOR_DISCARD_XPATHS: where a name is not the byline (comments,
# dates, captions, quotes, sidebars), its `re:test` calls spelt with libxml2's own
# functions (lxml runs `re:test` as a Python callback on every element).
_NOT_BYLINE = (
    "(self::a or self::div or self::section or self::span) and ("
    "@id='comments' or @class='comments' or @class='title' or @class='date'"
    " or starts-with(@id, 'comments') or contains(@id, 'commentlist')"
    " or contains(@id, 'comment-list') or contains(@id, 'ProductReviews')"
    " or starts-with(@class, 'Comments') or starts-with(@class, 'comments')"
    " or contains(@class, 'commentlist') or contains(@class, 'comments-list')"
    " or contains(@class, 'sidebar') or contains(@class, 'is-hidden')"
    " or contains(@class, 'quote') or contains(@class, 'embedly-instagram')"
    " or contains(@class, 'article-share') or contains(@class, 'article-support')"
    " or contains(@class, 'print') or contains(@class, 'category')"
    " or contains(@class, 'meta-date') or contains(@class, 'meta-reviewer')"
    " or contains(@data-component, 'Figure')) or self::time or self::figure"
)
_IN_DISCARDED = XPath(f"boolean(ancestor-or-self::*[{_NOT_BYLINE}])")
_DISCARDED_INSIDE = XPath(f".//*[{_NOT_BYLINE}]")
# Every attribute a byline test looks at, and a word each matching value contains:
# one pass over these strings replaces three passes of XPath predicates over every element.
_BYLINE_ATTRIBUTES = XPath(
    "//@class | //@id | //@itemprop | //@rel | //@data-testid | //@data-component | //author"
)
_MAYBE_BYLINE = re.compile(
    "uthor|yline|byl|BBL|username|screenname|writer|channel-name|zuozhe|bianji|xiaobian"
    "|submitted-by|posted-by|journalist-name"
)
_AUTHOR_NAME = re.compile("author-?name|AuthorName|authorName")
_AUTHOR_ID = re.compile("author|zuozhe|bianji|xiaobian")
_AUTHOR_CLASS = re.compile(
    "author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name"
)
_ANY_AUTHOR_ID = re.compile("[Aa]uthor")
_ANY_AUTHOR_CLASS = re.compile("[Aa]uthor|screenname|writer|[Bb]yline")
_SPECIFIC_TAGS = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_GENERIC_TAGS = frozenset({"a", "div", "h3", "h4", "p", "span"})


def _specific(element: _Element) -> bool:
    """trafilatura's first AUTHOR_XPATHS expression.

    Its `rel='me'` asks for a child *element* named rel, which HTML has not; left out.
    """
    if element.tag == "author":
        return True
    get = element.get
    return element.tag in _SPECIFIC_TAGS and (
        get("rel") == "author"
        or get("id") == "author"
        or get("class") == "author"
        or get("itemprop") == "author name"
        or get("data-testid") in {"AuthorCard", "AuthorURL"}
        or bool(_AUTHOR_NAME.search(get("class", "")))
    )


def _generic(element: _Element) -> bool:
    """trafilatura's second AUTHOR_XPATHS expression."""
    get = element.get
    return element.tag in _GENERIC_TAGS and (
        get("class") in {"byline", "username", "byl", "BBL"}
        or "author" in get("itemprop", "")
        or bool(_AUTHOR_ID.search(get("id", "")))
        or bool(_AUTHOR_CLASS.search(get("class", "")))
    )


def _last_resort(element: _Element) -> bool:
    """trafilatura's third AUTHOR_XPATHS expression: any element."""
    get = element.get
    return (
        "Byline" in get("data-component", "")
        or "author" in get("itemprop", "")
        or bool(_ANY_AUTHOR_ID.search(get("id", "")))
        or bool(_ANY_AUTHOR_CLASS.search(get("class", "")))
    )


_BYLINE_TESTS = (_specific, _generic, _last_resort)


def read_metadata(tree: HtmlElement, url: str) -> Document:
    """Title, author, canonical URL, site name, description and share image."""
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None  # a bare handle ("admin") is not a byline
    try:
        metadata = read_json_ld(tree, metadata)
    except Exception:  # trafilatura's JSON-LD reader is known to trip on odd data
        logger.warning("JSON-LD metadata unreadable for %s", url, exc_info=True)
    metadata.title = metadata.title or extract_title(tree)
    metadata.author = metadata.author or find_author(tree)
    metadata.url = _canonical(tree) or metadata.url  # og:url when no canonical link
    metadata.sitename = (metadata.sitename or extract_sitename(tree) or "").lstrip("@") or None
    metadata.clean_and_trim()
    return metadata


_JSON_SCRIPTS = XPath('.//script[@type="application/ld+json" or @type="application/settings+json"]')
_JSON_WHITESPACE = re.compile(r'("(?:\\.|[^"\\])*")|\s+')  # JSON_MINIFY, a run at a time
_JSON_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_SURROGATES = re.compile("[\ud800-\udfff]")


def read_json_ld(tree: HtmlElement, metadata: Document) -> Document:
    """`trafilatura.metadata.extract_meta_json`, the same steps made cheap.

    Its minifier expands a regex template for every whitespace character and its
    cleaner walks the JSON one character at a time in Python; on pages with large
    JSON-LD (or Drupal settings) blocks that cost more than the rest of the metadata.
    """
    for script in _JSON_SCRIPTS(tree):
        if not script.text:
            continue
        text = _normalize_json(_JSON_WHITESPACE.sub(_string_or_nothing, script.text))
        try:
            schema = json.loads(text, strict=False)
            metadata = extract_json(schema, metadata)
        except json.JSONDecodeError:
            metadata = extract_json_parse_error(text, metadata)
    return metadata


def _string_or_nothing(match: re.Match[str]) -> str:
    return match[1] or ""


def _normalize_json(text: str) -> str:
    """`trafilatura.json_metadata.normalize_json`, with its per-character loop as one regex."""
    if "\\" in text:
        text = text.replace("\\n", "").replace("\\r", "").replace("\\t", "")
        text = _JSON_UNICODE_ESCAPE.sub(lambda match: chr(int(match[1], 16)), text)
        text = _SURROGATES.sub("", text)
        text = unescape(text)
    return trim(HTML_STRIP_TAGS.sub("", text))


def find_author(tree: HtmlElement) -> str | None:
    """The byline in the page's markup: what `trafilatura.metadata.extract_author` finds.

    trafilatura deep-copies the page, deletes the discarded parts and runs three XPaths
    full of regex callbacks; that was a clip's slowest step. We pick the few elements
    whose attributes could match in one pass over attribute strings, try trafilatura's
    tests on them in its order, skip those inside discarded parts, and prune only the
    (small) copy of a match that has a discarded part inside it.
    """
    candidates: dict[_Element, None] = {}  # document order, no repeats
    for found in _BYLINE_ATTRIBUTES(tree):
        if isinstance(found, str):
            if _MAYBE_BYLINE.search(found):
                candidates[found.getparent()] = None
        else:
            candidates[found] = None
    for test in _BYLINE_TESTS:
        for element in candidates:
            if not test(element) or _IN_DISCARDED(element):
                continue
            content = trim(" ".join(_text_outside_discarded(element)))
            if content and 2 < len(content) < 120:
                return normalize_authors(None, content)
    return None


def _text_outside_discarded(element: _Element) -> list[str]:
    """The element's text as it reads once its discarded descendants are deleted."""
    if not _DISCARDED_INSIDE(element):
        return list(element.itertext())
    clone = copy.deepcopy(element)
    for discarded in _DISCARDED_INSIDE(clone):
        delete_element(discarded)  # keeps the tail text, as trafilatura's pruning does
    return list(clone.itertext())


def _canonical(tree: HtmlElement) -> str | None:
    """`<link rel=canonical>`; trafilatura's reader also accepts `<base href>`, which is not one."""
    for href in _CANONICAL(tree):
        if href.strip():
            return href.strip()
    return None


def published(tree: HtmlElement, url: str) -> datetime | None:
    """The full publication timestamp when the page states one, else htmldate's day."""
    for value in _PUBLISHED(tree):
        parsed = parse_datetime(value)
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
