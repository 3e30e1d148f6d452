"""The page's main region, whole: every visible block of `<main>` (or the body).

trafilatura picks the best-scoring node and prunes link-heavy blocks, which is right for
a news article but loses most of a page made of many short parts: a listing's cards, a
shop's product grid, a service page's sections, a thread's posts. Their text is the
main region with the page chrome (navigation, header, footer, forms, hidden parts) taken
out. `_body` offers this as a candidate when trafilatura keeps much less than it.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

# Never content, wherever they stand.
_DROP = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "iframe", "object", "canvas",
        "nav", "header", "footer", "aside", "form", "button", "select", "dialog", "menu",
        "head", "input", "textarea", "label",
    }
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCKS = frozenset(
    {
        *_HEADINGS, "p", "div", "li", "ul", "ol", "dl", "dd", "dt", "tr", "td", "th", "table",
        "section", "article", "main", "blockquote", "pre", "figure", "figcaption", "br",
        "caption", "details", "summary", "address", "hr",
    }
)  # fmt: skip
# ARIA roles of page furniture: a `<div role="navigation">` is a `<nav>` by another name.
_CHROME_ROLES = frozenset(
    {
        "navigation", "banner", "contentinfo", "complementary", "search", "dialog", "menu",
        "menubar", "listbox", "tooltip", "alertdialog",
    }
)  # fmt: skip
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Class names of common page furniture (a shop's filter panel among them) and of text
# only screen readers are given.
_CHROME_CLASS = re.compile(
    r"(^|\s)(breadcrumbs?|cookie-banner|newsletter|social-share|share-buttons|modal|popup"
    r"|sidebar|pagination|sr-only|visually-hidden|screen-reader-text|skip-link"
    r"|dropdown-menu|mega-?menu|filters?|facets?|flyout)(\s|$)",
    re.I,
)
_MAIN = etree.XPath("//main | //*[@role='main']")
_TEXT = etree.XPath("string()", smart_strings=False)
WORD = re.compile(r"\w+")  # a word, wherever the chain counts them (`_body` too)
# A repeated block this long is a copy; a shorter one ("Add to cart", a price) is each
# card's own label.
_REPEAT_WORDS = 4


def region_root(tree: HtmlElement) -> tuple[etree._Element | None, bool]:
    """The page's main part, and whether the page marked it (`<main>`, `role="main"`)
    rather than it being the whole body."""
    mains = _MAIN(tree)
    return (mains[0], True) if mains else (tree.find("body"), False)


def most_words(root: etree._Element) -> int:
    """An upper bound of the region's words, counted in C: all its text, scripts and chrome
    included; the walk of `main_region` costs as much as a tenth of trafilatura's pass."""
    return len(WORD.findall(_TEXT(root)))


def main_region(root: etree._Element | None) -> etree._Element:
    """The region's blocks as trafilatura-style XML (`<body>` of `<p>` and `<head>`)."""
    body = etree.Element("body")
    if root is None:
        return body
    parts: list[str] = []
    _walk(root, parts, body)
    _flush(parts, body, "p")
    return body


def append_blocks(
    element: etree._Element, body: etree._Element, leave_out: frozenset[str] = frozenset()
) -> None:
    """Append the visible blocks of one element (its own leading text too) to `body`,
    without the elements whose tag is in `leave_out`."""
    if _hidden(element, element.tag if isinstance(element.tag, str) else ""):
        return
    parts: list[str] = [element.text] if element.text else []
    _walk(element, parts, body, leave_out)
    _flush(parts, body, "p")


def _walk(
    element: etree._Element,
    parts: list[str],
    body: etree._Element,
    leave_out: frozenset[str] = frozenset(),
) -> None:
    for child in element:
        tag = child.tag
        if isinstance(tag, str) and tag not in leave_out and not _hidden(child, tag):
            block = tag in _BLOCKS
            if block:
                _flush(parts, body, "p")
            if child.text:
                parts.append(child.text)
            _walk(child, parts, body, leave_out)
            if block:
                _flush(parts, body, "head" if tag in _HEADINGS else "p")
        if child.tail:
            parts.append(child.tail)


def _hidden(element: etree._Element, tag: str) -> bool:
    return (
        tag in _DROP
        or element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or element.get("role") in _CHROME_ROLES
        or bool(_HIDDEN_STYLE.search(element.get("style") or ""))
        or bool(_CHROME_CLASS.search(f"{element.get('class') or ''} {element.get('id') or ''}"))
    )


def _flush(parts: list[str], body: etree._Element, tag: str) -> None:
    text = " ".join("".join(parts).split())
    parts.clear()
    if text:
        etree.SubElement(body, tag).text = text


def drop_repeats(body: etree._Element) -> etree._Element:
    """A block that says again what an earlier one said is a copy: a layout for phones
    beside the one for desktops, a ticker's loop, a button's label on every card."""
    seen: set[str] = set()
    for block in list(body):
        text = block.text or ""
        if text in seen and len(WORD.findall(text)) >= _REPEAT_WORDS:
            body.remove(block)
        else:
            seen.add(text)
    return body
