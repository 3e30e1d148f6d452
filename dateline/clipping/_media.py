"""Find a page's lead image and its caption.

The share image (`og:image`, which trafilatura reports) is the publisher's own
choice of lead image; its caption lives in the `<figure>` that shows it. Pages
without one fall back to their first captioned figure.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from lxml import etree

from dateline.core.text import clean_text

_MAX_FIGURES = 30
_LAZY_SOURCES = ("src", "data-src", "data-original", "data-lazy-src")


def lead_figure(
    tree: etree._Element, share_image: str | None, base: str
) -> tuple[str | None, str | None]:
    """Return (image URL, caption text) for the page's lead picture, either may be None."""
    figures = _figures(tree, base)
    image = web_url(share_image, base)
    if image:
        caption = next((cap for src, cap in figures if same_image(src, image)), None)
        return image, caption
    if figures:
        return figures[0]
    return None, None


def web_url(value: str | None, base: str) -> str | None:
    """An absolute http(s) URL, or None (never javascript:, data: and the like)."""
    if not value or not value.strip():
        return None
    absolute = urljoin(base, value.strip())
    return absolute if urlsplit(absolute).scheme in {"http", "https"} else None


def _figures(tree: etree._Element, base: str) -> list[tuple[str, str | None]]:
    """(image URL, caption) for the first figures that hold a usable image."""
    found: list[tuple[str, str | None]] = []
    for figure in tree.iter("figure"):
        src = next((s for img in figure.iter("img") if (s := image_src(img, base))), None)
        if src:
            found.append((src, caption_of(figure)))
        if len(found) >= _MAX_FIGURES:
            break
    return found


def image_src(img: etree._Element, base: str) -> str | None:
    """The real source of an image, looking past lazy-loading placeholders."""
    for attribute in _LAZY_SOURCES:
        url = web_url(img.get(attribute), base)
        if url:
            return url
    srcset = (img.get("srcset") or img.get("data-srcset") or "").strip()
    return web_url(srcset.split(",")[0].split()[0], base) if srcset else None


def caption_of(figure: etree._Element) -> str | None:
    for caption in figure.iter("figcaption"):
        text = " ".join(clean_text("".join(caption.itertext())).split())
        if text:
            return text
    return None


def same_image(candidate: str, image: str) -> bool:
    """Same file name: share images often differ from the inline one only in size or host."""
    name = urlsplit(candidate).path.rsplit("/", 1)[-1]
    return bool(name) and name == urlsplit(image).path.rsplit("/", 1)[-1]
