"""Put the article's own figures (other than the lead) back into the extracted body.

trafilatura's image mode changes what it extracts, so, as with links, we extract
without images and then place each figure of the original page after the body
block it followed there. A figure is kept only when the blocks on both sides of
it made it into the body, so pictures in sidebars and "related" boxes stay out.
"""

from __future__ import annotations

from lxml import etree

from dateline.clipping._links import text_key
from dateline.clipping._media import caption_of, image_src, same_image

_BLOCKS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "li", "pre", "table"})
_MAX_FIGURES = 20


def restore_figures(
    body: etree._Element, source: etree._Element, base: str, lead_image: str | None
) -> None:
    """Insert `<figure>`s from `source` into `body` (both HTML trees) where they belong."""
    if source.find(".//figure") is None:
        return  # most pages: nothing to place, so skip keying every block
    placed: dict[str, etree._Element] = {}
    for block in body.iter(*_BLOCKS):
        placed.setdefault(text_key(block), block)
    placed.pop("", None)
    if not placed:
        return
    count = 0
    for figure, before, after in _figures_between_blocks(source):
        if before not in placed or after not in placed or count >= _MAX_FIGURES:
            continue
        src = next((s for img in figure.iter("img") if (s := image_src(img, base))), None)
        if not src or (lead_image and same_image(src, lead_image)):
            continue
        _insert_after(placed[before], _figure(src, figure))
        count += 1


def _figures_between_blocks(source: etree._Element) -> list[tuple[etree._Element, str, str]]:
    """(figure, text key of the block before it, text key of the block after it)."""
    found: list[tuple[etree._Element, str, str]] = []
    pending: list[tuple[etree._Element, str]] = []
    previous = ""
    # Held in a set, lxml keeps one proxy per element, so membership is identity.
    # Both walks name their tags, so lxml skips every other element in C.
    in_figures = {el for figure in source.iter("figure") for el in figure.iterdescendants(*_BLOCKS)}
    for element in source.iter("figure", *_BLOCKS):
        if element.tag == "figure":
            pending.append((element, previous))
        elif element not in in_figures:
            key = text_key(element)
            if not key:
                continue
            found.extend((figure, before, key) for figure, before in pending)
            pending.clear()
            previous = key
    return found


def _figure(src: str, original: etree._Element) -> etree._Element:
    """A clean `<figure>`: the image and its caption, nothing else from the page."""
    figure = etree.Element("figure")
    img = etree.SubElement(figure, "img", src=src)
    alt = next((i.get("alt") for i in original.iter("img") if i.get("alt")), None)
    caption = caption_of(original)
    img.set("alt", alt or caption or "")
    if caption:
        etree.SubElement(figure, "figcaption").text = caption
    return figure


def _insert_after(block: etree._Element, figure: etree._Element) -> None:
    """After the block's top-level container, so a figure never lands inside a list item."""
    anchor = block
    while anchor.getparent() is not None and anchor.getparent().tag != "body":
        anchor = anchor.getparent()
    figure.tail = anchor.tail
    anchor.tail = None
    anchor.addnext(figure)
