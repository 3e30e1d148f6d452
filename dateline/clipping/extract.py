"""Turn a news page's HTML into an article: pure, no network, no Django.

trafilatura finds the body and the metadata. Its link and image modes change
*what* it extracts (and lower its accuracy), so we extract with formatting only
and put the links back from the original page ourselves (see `_links`). Cookie
consent banners are taken out of the page first (see `_overlays`). Every piece of
HTML leaves this module through `sanitize_post_html`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement
from trafilatura.htmlprocessing import convert_to_html
from trafilatura.xml import xmltotxt

from dateline.clipping._body import description_body, main_text
from dateline.clipping._figures import restore_figures
from dateline.clipping._links import restore_links
from dateline.clipping._media import lead_figure, web_url
from dateline.clipping._metadata import published, read_metadata
from dateline.clipping._overlays import drop_overlays
from dateline.clipping._parse import load_html as _load_html
from dateline.clipping.errors import ExtractionError, html_too_large, too_many_elements
from dateline.core.sanitize import sanitize_post_html
from dateline.core.text import clean_text

_BASE_HREF = etree.XPath("//base/@href", smart_strings=False)
_COUNT_ELEMENTS = etree.XPath("count(//*)")


@dataclass(frozen=True)
class ExtractedArticle:
    """What a clip needs from a page; every HTML field is already sanitized."""

    title: str
    author: str | None
    published: datetime | None
    publisher: str | None
    url: str
    canonical_url: str | None
    description: str | None
    lead_image_url: str | None
    lead_image_caption: str | None
    body_html: str
    body_text: str
    language: str | None


@dataclass(frozen=True)
class PageLimits:
    """The most HTML (bytes) and elements extraction takes on; None: no limit."""

    max_bytes: int | None = None
    max_elements: int | None = None


def extract_article(
    html: str | bytes, url: str, limits: PageLimits = PageLimits()
) -> ExtractedArticle:
    """Extract the article in `html` (fetched from or pasted for `url`).

    A page over `limits` raises PageTooLarge before any of the costly work: the size is
    checked before parsing, the element count right after (parsing is the cheap part).
    """
    _check_size(html, limits.max_bytes)
    source = _parse(html)
    if limits.max_elements is not None:
        count = int(_COUNT_ELEMENTS(source))
        if count > limits.max_elements:
            raise too_many_elements(count, limits.max_elements)
    meta = read_metadata(source, url)
    drop_overlays(source)
    try:
        body = main_text(source, url)
    except ExtractionError:
        body = description_body(_text(meta.description))
    title = _text(meta.title) or ""
    _drop_title_heading(body, title)
    body_text = plain_text(body)
    if not body_text:
        raise ExtractionError()
    base = _base_url(source, url)
    image_url, caption = lead_figure(source, meta.image, base)
    return ExtractedArticle(
        title=title,
        author=_text(meta.author),
        published=published(source, url),
        publisher=_text(meta.sitename),
        url=url,
        canonical_url=web_url(meta.url, base),
        description=_text(meta.description),
        lead_image_url=image_url,
        lead_image_caption=caption,
        body_html=_body_html(body, source, base, image_url),
        body_text=body_text,
        language=_language(source),
    )


# trafilatura's inline formatting: in plain text only their words count.
_INLINE = ("hi", "code", "del", "ref")


def plain_text(body: etree._Element) -> str:
    """The body as plain text: trafilatura's `xmltotxt` on a copy without inline formatting.

    `xmltotxt` drops the text after an inline element that has no text of its own (an
    empty `<code/>` or `<hi/>`, which trafilatura leaves where it moved formatting out):
    the formatting kept for the HTML body would cost the plain text whole clauses.
    """
    plain = copy.deepcopy(body)
    etree.strip_tags(plain, *_INLINE)
    return clean_text(xmltotxt(plain, False)).strip()


def _check_size(html: str | bytes, limit: int | None) -> None:
    if limit is None:
        return
    size = len(html) if isinstance(html, bytes) else len(html.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise html_too_large(size, limit)


def _parse(html: str | bytes) -> HtmlElement:
    """Parse once; trafilatura works on a copy, so the pristine tree serves links and figures."""
    if not html or not html.strip():
        raise ExtractionError()
    try:
        tree = _load_html(html)
    except (TypeError, ValueError) as exc:
        raise ExtractionError() from exc
    if tree is None:
        raise ExtractionError()
    return tree


def _drop_title_heading(body: etree._Element, title: str) -> None:
    """The post shows the title once, as its only h1; a copy atop the body would repeat it."""
    if not title or not len(body) or body[0].tag != "head":
        return
    if " ".join("".join(body[0].itertext()).split()).casefold() == title.casefold():
        body.remove(body[0])


def _body_html(body: etree._Element, source: HtmlElement, base: str, lead: str | None) -> str:
    """trafilatura's XML → HTML, with links and figures restored, h1 demoted, URLs absolute."""
    html_root = convert_to_html(body)  # rewrites `body` in place
    html_body = html_root[0]
    for heading in html_body.iter("h1"):
        heading.tag = "h2"
    restore_links(html_body, source)
    restore_figures(html_body, source, base, lead)
    _absolutize(html_body, base)
    for child in html_body:  # one block per line, as a person would write the HTML
        child.tail = (child.tail or "").rstrip() + "\n"
    inner = (html_body.text or "") + "".join(
        etree.tostring(child, encoding="unicode", method="html") for child in html_body
    )
    return sanitize_post_html(inner).strip()


def _absolutize(root: etree._Element, base: str) -> None:
    """Relative links and images would point at our own site once republished."""
    for element in root.iter("a", "img"):
        attribute = "href" if element.tag == "a" else "src"
        value = element.get(attribute)
        if value:
            element.set(attribute, urljoin(base, value.strip()))


def _base_url(tree: HtmlElement, url: str) -> str:
    """The page's own `<base href>` wins over its URL, as in a browser."""
    bases = _BASE_HREF(tree)
    if bases:
        candidate = urljoin(url, bases[0].strip())
        if urlsplit(candidate).scheme in {"http", "https"}:
            return candidate
    return url


def _language(tree: HtmlElement) -> str | None:
    """The primary subtag of `<html lang>` ("en-GB" → "en")."""
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not lang:
        return None
    primary = lang.strip().split("-")[0].split("_")[0].lower()
    return primary if primary.isalpha() and len(primary) <= 8 else None


def _text(value: str | None) -> str | None:
    """Plain-text metadata, cleaned of control characters and stray whitespace."""
    if not value:
        return None
    cleaned = " ".join(clean_text(value).split())
    return cleaned or None
