"""The page's main text as trafilatura XML: a chain of passes, each run only if needed.

trafilatura's precision mode is the more accurate on news articles, but on a page it
misreads it keeps a fragment (a caption, one paragraph) where its default mode finds the
whole text. A page that declares itself an article (JSON-LD @type, og:type) is read by
the precise pass; when that keeps fewer than `_ENOUGH_WORDS` words, the default pass runs
too and the longer body wins; a long article rarely pays for the second pass. Any other
page (a service page, a shop, a listing, documentation) is read by the default pass
alone: on such pages precision mode's extra pruning cost more text than it saved, and
its pass is the dearer of the two. On a discussion thread (a forum, a Q&A page) the
replies are the content: the default pass reads it, and the comments trafilatura finds
are kept as part of the body; on any other page they stay out of the clip. Before any
pass, a thread whose forum engine names its posts' bodies is read from those alone (see
`_posts`): trafilatura would keep each post's furniture with it. Last, a page
made of many short parts (a listing, a shop's grid, a service page's sections) loses
most of them to trafilatura, which keeps one best node and prunes link-heavy blocks:
when it kept much less than the main region holds (see `_region`), the region is the
body. How much less depends on what the page says it is (`region_share`): a declared
article keeps trafilatura's reading. The shares are checked by `bench/chooser.py`, which
fits them on WCXB's dev split with ScrapingHub's articles as a guard and prints their
cross-validated F1. A page whose HTML holds no text at all (an app that renders it
with scripts) is clipped with its own description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree
from lxml.html import HtmlElement
from trafilatura import bare_extraction

from dateline.clipping._posts import thread_posts
from dateline.clipping._region import WORD, drop_repeats, main_region, most_words, region_root
from dateline.clipping.errors import ExtractionError

_ENOUGH_WORDS = 300
# Where the precise pass finds nothing, or the default pass reads a page alone, a few
# words (a menu's "Home News About") are no article.
_LEAST_WORDS = 10


@dataclass(frozen=True)
class Shares:
    """trafilatura keeping less than this share of the main region's words missed a good
    part of the page (a service page's or a shop's sections after its first). Where the
    page marks no main part the region is the whole body, chrome and all, so trafilatura
    must keep less still; on a product's page much less; a page that declares itself an
    article is trafilatura's own ground and keeps its reading (0: the region is not even
    looked for). Checked by `bench/chooser.py`: shares that do better on WCXB's dev split
    (an article's region at 0.4, 0.8 with <main>, 0.6 without) cost ScrapingHub's news
    articles more than they gain: of the 12 articles there whose region they would take,
    11 score lower with it."""

    main: float = 0.7
    body: float = 0.4
    product: float = 0.2
    article: float = 0.0


SHARES = Shares()

# schema.org types a thread's page declares (JSON-LD or microdata).
_THREAD_TYPES = etree.XPath(
    "boolean(//script[@type='application/ld+json'][contains(., 'DiscussionForumPosting')"
    " or contains(., 'QAPage')] | //*[@itemtype][contains(@itemtype, 'DiscussionForumPosting')"
    " or contains(@itemtype, 'QAPage')])"
)
# schema.org types of one article or one product, as JSON-LD names them.
_ARTICLE_TYPE = re.compile(
    r'"@type"\s*:\s*"(NewsArticle|Article|BlogPosting|ReportageNewsArticle'
    r'|OpinionNewsArticle|AnalysisNewsArticle|TechArticle)"'
)
_PRODUCT_TYPE = re.compile(r'"@type"\s*:\s*"Product"')
_LD_JSON = etree.XPath("//script[@type='application/ld+json']/text()", smart_strings=False)
_OG_TYPE = etree.XPath("//meta[@property='og:type']/@content", smart_strings=False)
# Addresses of threads in common forum software (Discourse, phpBB, vBulletin, SMF, MyBB…).
_THREAD_PATH = re.compile(
    r"/(forums?|threads?|topics?|questions|discussions?|t|comments|d)/"
    r"|showthread|viewtopic|showtopic|[?&]topic=|/thread-\d",
    re.I,
)


@dataclass(frozen=True)
class Reading:
    """The body one clip keeps, which pass gave it, and every pass that ran to get it."""

    body: etree._Element
    chosen: str
    passes: tuple[str, ...]


def main_text(tree: HtmlElement, url: str) -> etree._Element:
    """The body; raises ExtractionError when no pass finds any text."""
    return read_main(tree, url).body


def read_main(tree: HtmlElement, url: str, shares: Shares = SHARES) -> Reading:
    """The fallback chain: on a thread the posts, when its engine names them ("posts");
    on a declared article trafilatura's precise pass ("precise"),
    then its default pass when that keeps too little ("default"); on a discussion the
    default pass with the replies ("thread"); on any other page the default pass alone;
    then the main region when trafilatura kept much less than it ("region"; it is only
    read when even its upper bound of words could beat trafilatura's). `shares` are for
    the bench that fits them."""
    thread = is_thread(tree, url)
    if thread:
        posts = thread_posts(tree)
        if posts is not None:
            return Reading(posts, "posts", ("posts",))
    declared = declared_type(tree)
    precise = declared == "article" and not thread
    chosen = "thread" if thread else "precise" if precise else "default"
    passes = [chosen]
    body = _extract(tree, url, thread, favor_precision=precise)
    kept = _words(body) if body is not None else 0
    if chosen == "default" and kept < _LEAST_WORDS:
        body, kept = None, 0  # a menu's few words are no page's text
    if precise and kept < _ENOUGH_WORDS:
        passes.append("default")
        fuller = _extract(tree, url, thread, favor_precision=False)
        least = kept + 1 if body is not None else _LEAST_WORDS
        fuller_words = _words(fuller) if fuller is not None else 0
        if fuller is not None and fuller_words >= least:
            body, chosen, kept = fuller, "default", fuller_words
    if declared == "article" and not shares.article:
        return _reading(body, chosen, passes)
    root, marked = region_root(tree)
    share = region_share(declared, marked, shares)
    if root is not None and most_words(root) * share > kept:
        passes.append("region")
        region = main_region(root)
        if _words(region) * share > kept:
            body, chosen = drop_repeats(region), "region"
    return _reading(body, chosen, passes)


def region_share(declared: str | None, marked: bool, shares: Shares = SHARES) -> float:
    """The share of the region's words below which trafilatura's reading gives way to
    the region, by what the page says it is and whether it marks its main part."""
    if declared == "article":
        return shares.article
    if declared == "product":
        return shares.product
    return shares.main if marked else shares.body


def _reading(body: etree._Element | None, chosen: str, passes: list[str]) -> Reading:
    if body is None or not len(body):
        raise ExtractionError()
    return Reading(body, chosen, tuple(passes))


def description_body(description: str | None) -> etree._Element:
    """The page's own summary as a one-paragraph body, for a page whose text is not in its
    HTML (an app that renders it with scripts); raises ExtractionError if it has none."""
    words = len(WORD.findall(description or ""))
    if words < _LEAST_WORDS:
        raise ExtractionError()
    body = etree.Element("body")
    etree.SubElement(body, "p").text = " ".join((description or "").split())
    return body


def is_thread(tree: HtmlElement, url: str) -> bool:
    """A forum thread or Q&A page, by its declared schema.org type or its address."""
    return bool(_THREAD_PATH.search(url or "")) or bool(_THREAD_TYPES(tree))


def declared_type(tree: HtmlElement) -> str | None:
    """ "article" or "product" when the page says it is one (og:type, JSON-LD @type)."""
    for value in _OG_TYPE(tree):
        if value.strip().lower() in {"article", "product"}:
            return value.strip().lower()
    scripts = " ".join(_LD_JSON(tree))
    if _ARTICLE_TYPE.search(scripts):
        return "article"
    return "product" if _PRODUCT_TYPE.search(scripts) else None


def _extract(
    tree: HtmlElement, url: str, thread: bool, favor_precision: bool
) -> etree._Element | None:
    """One trafilatura pass; `output_format="xml"` only skips rendering text we never read."""
    document: Any = bare_extraction(
        tree,
        url=url,
        output_format="xml",
        favor_precision=favor_precision,
        include_comments=thread,
        include_formatting=True,
        include_tables=True,
    )
    if document is None or document.body is None:
        return None
    body = document.body
    if thread and document.comments is not None:
        body.extend(list(document.comments))
    return body


def _words(body: etree._Element) -> int:
    return sum(len(WORD.findall(text)) for text in body.itertext())
