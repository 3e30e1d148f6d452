"""Put the page's links back into trafilatura's body.

trafilatura's `include_links` mode extracts a different (noisier) body, so we
extract without links and then, for each body block whose text equals a block
of the original page, copy that block's inline markup (links, emphasis) over.
The text is checked to be unchanged, so nothing the extractor dropped returns.
"""

from __future__ import annotations

import copy

from lxml import etree

from dateline.core.text import strip_control_chars

_TARGET_BLOCKS = ("p", "li", "blockquote", "dd", "dt", "td", "th", "h2", "h3", "h4", "h5", "h6")
_SOURCE_BLOCKS = frozenset({*_TARGET_BLOCKS, "h1", "figcaption", "caption"})
_NESTED_BLOCKS = frozenset({"p", "ul", "ol", "dl", "blockquote", "table", "div", "pre"})
_INLINE_KEEP = frozenset({"a", "b", "strong", "i", "em", "br", "code", "sub", "sup"})
_DROP_WITH_CONTENT = ("script", "style", "noscript", "iframe", "template", "svg", "button")
_MAX_CLIMB = 4


def restore_links(body: etree._Element, source: etree._Element) -> None:
    """Copy inline markup from `source` blocks into `body` blocks with the same text."""
    wanted: dict[str, list[etree._Element]] = {}
    for block in body.iter(*_TARGET_BLOCKS):
        if any(child.tag in _NESTED_BLOCKS for child in block):
            continue
        key = text_key(block)
        if key:
            wanted.setdefault(key, []).append(block)
    if not wanted:
        return
    seen: set[etree._Element] = set()
    for anchor in source.iter("a"):
        if not anchor.get("href"):
            continue
        origin = _enclosing_block(anchor)
        if origin is None or origin in seen:
            continue
        seen.add(origin)
        key = text_key(origin)
        for target in wanted.pop(key, ()):
            _copy_inline(origin, target, key)


def _enclosing_block(element: etree._Element) -> etree._Element | None:
    """The nearest paragraph-like ancestor, if it is close (never a whole page section)."""
    parent = element.getparent()
    for _ in range(_MAX_CLIMB):
        if parent is None:
            return None
        if parent.tag in _SOURCE_BLOCKS:
            return parent
        parent = parent.getparent()
    return None


def _copy_inline(origin: etree._Element, target: etree._Element, key: str) -> None:
    """Replace `target`'s content with `origin`'s inline markup when the text agrees."""
    clone = copy.deepcopy(origin)
    clone.tail = None
    etree.strip_elements(clone, *_DROP_WITH_CONTENT, etree.Comment, etree.PI, with_tail=False)
    others = {el.tag for el in clone.iter() if el is not clone and el.tag not in _INLINE_KEEP}
    if others:
        etree.strip_tags(clone, *others)
    if text_key(clone) != key:
        return
    for element in clone.iter(*_INLINE_KEEP):
        href = element.get("href") if element.tag == "a" else None
        element.attrib.clear()
        if href:
            # lxml refuses control characters in attribute values ("java\x00script:");
            # without them the sanitizer judges the link like any other.
            element.set("href", strip_control_chars(href).replace("\x00", ""))
    target.text = clone.text
    target[:] = list(clone)


def text_key(element: etree._Element) -> str:
    """The block's words, whitespace-normalized: what makes two blocks "the same".

    libxml2's text serializer gives what `itertext()` gives (comments left out) for much
    less, as it makes no Python element for each descendant.
    """
    text = etree.tostring(element, method="text", encoding="unicode", with_tail=False)
    return " ".join(text.split())
