"""Bring a clipped article's pictures home, so the post survives when the source dies.

Images are fetched under the image policy (same address rules as pages, image
content types, their own size cap), checked by `core.rasters` (real raster images
within the pixel limit: an SVG could carry script), and stored in media under a name
made from their hash (`posts.services.image_name`, as every writer names them): the
same bytes once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.core.files.storage import default_storage
from lxml import etree
from lxml.html import fragment_fromstring

from dateline.clipping.errors import ClipError
from dateline.clipping.fetch import FetchPolicy, fetch
from dateline.core.mediastore import store_media
from dateline.core.rasters import raster_extension
from dateline.core.sanitize import sanitize_post_html
from dateline.posts.services import image_name

logger = logging.getLogger(__name__)


@dataclass
class MediaFiles:
    """The media files one clip created, so a failed clip can remove exactly those."""

    policy: FetchPolicy
    limit: int
    created: list[str] = field(default_factory=list)
    stored: dict[str, str | None] = field(default_factory=dict)  # image URL → media name

    def discard(self) -> None:
        for name in self.created:
            default_storage.delete(name)
        self.created.clear()

    def image(self, url: str) -> str | None:
        """The media name of the image at `url`, downloading it once; None if unusable."""
        if url not in self.stored:
            if len(self.stored) >= self.limit:
                return None
            self.stored[url] = self._download(url)
        return self.stored[url]

    def _download(self, url: str) -> str | None:
        try:
            data = fetch(url, self.policy).body
        except ClipError as error:
            logger.info("Clip image %s left out: %s", url, error.message)
            return None
        extension = raster_extension(data)
        if extension is None:
            logger.info("Clip image %s left out: not a PNG, JPEG, GIF or WebP image", url)
            return None
        return self._store(data, url, extension)

    def _store(self, data: bytes, url: str, extension: str) -> str:
        name = image_name(data, PurePosixPath(urlsplit(url).path).name, extension)
        if store_media(name, data):
            self.created.append(name)
        return name


def localize_body_images(body_html: str, files: MediaFiles) -> str:
    """Point every `<img>` at our media copy; drop the ones we could not keep."""
    if "<img" not in body_html:
        return body_html
    root = fragment_fromstring(body_html, create_parent="div")
    for img in list(root.iter("img")):
        name = files.image(img.get("src") or "")
        if name:
            img.set("src", default_storage.url(name))
        else:
            figure = _figure_of(img)
            _remove(img if figure is None else figure)
    inner = (root.text or "") + "".join(
        etree.tostring(child, encoding="unicode", method="html") for child in root
    )
    return sanitize_post_html(inner)


def _figure_of(img: etree._Element) -> etree._Element | None:
    parent = img.getparent()
    return parent if parent is not None and parent.tag == "figure" else None


def _remove(element: etree._Element) -> None:
    """Remove an element but keep the text that followed it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
