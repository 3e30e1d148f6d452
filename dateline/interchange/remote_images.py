"""`--fetch-images`: a migrated blog's pictures, downloaded into our media before it moves in.

The network work happens before the import's transaction opens: a first pass
over the file (parsing only, no writes) collects every image on another site
(body `<img>`s and lead images), they are downloaded through the clipping
fetcher under its image policy (SSRF-safe, size-capped, raster images only),
and the import pass then sees records whose URLs already point at our media.
So the transaction never waits on a slow site, a failed download only leaves
that URL as it was (and is counted in the notes), and a failed import removes
exactly the files it downloaded. Re-running stores the same bytes under the
same content-addressed names, so the rewritten bodies are identical: idempotent.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.core.files.storage import default_storage
from lxml.html import fragment_fromstring

from dateline.clipping.errors import ClipError
from dateline.clipping.fetch import fetch
from dateline.clipping.images import MediaFiles
from dateline.clipping.services import image_policy
from dateline.core.rasters import raster_extension
from dateline.posts import rendering

from .records import PostRecord, Record

ImageProgress = Callable[[int, int], None]
NOT_RASTER = "not a PNG, JPEG, GIF or WebP image"
_URL = re.compile(r"https?://[^\s\"'<>()\[\]]+", re.IGNORECASE)  # ends at quotes, space, brackets


def is_remote(url: str) -> bool:
    """An absolute http(s) address that is not our own media."""
    return url.lower().startswith(("http://", "https://")) and not url.startswith(
        settings.MEDIA_URL
    )


def record_image_urls(record: PostRecord) -> list[str]:
    """The remote images a post shows: its lead image, then its body's `<img>`s."""
    found = [record.lead_image] if is_remote(record.lead_image) else []
    if "<img" in record.body or "![" in record.body:
        shown = rendering.render_body(record.body, record.body_format)
        root = fragment_fromstring(shown, create_parent="div")
        found += [src for img in root.iter("img") if is_remote(src := (img.get("src") or ""))]
    return found


def collect_image_urls(records: Iterable[Record]) -> list[str]:
    """Every remote image in the file, once each, in the order met."""
    urls: dict[str, None] = {}
    for record in records:
        if isinstance(record, PostRecord):
            urls.update(dict.fromkeys(record_image_urls(record)))
    return list(urls)


class ImportImages(MediaFiles):
    """MediaFiles (content-addressed, removable on failure) that count why images failed."""

    def __init__(self) -> None:
        super().__init__(policy=image_policy(), limit=2**62)
        self.failures: Counter[str] = Counter()

    def _download(self, url: str) -> str | None:
        try:
            data = fetch(url, self.policy).body
        except ClipError as error:
            self.failures[error.message.rstrip(".")] += 1
            return None
        extension = raster_extension(data)
        if extension is None:
            self.failures[NOT_RASTER] += 1
            return None
        return self._store(data, url, extension)

    def mapping(self) -> dict[str, str]:
        """Remote URL → our media URL, for the images we now hold."""
        return {url: default_storage.url(name) for url, name in self.stored.items() if name}

    def notes(self) -> Counter[str]:
        notes: Counter[str] = Counter()
        if held := len(self.mapping()):
            notes["images downloaded into media"] = held
        for reason, count in self.failures.items():
            notes[f"image not downloaded, its address kept: {reason}"] += count
        return notes


def download_images(urls: list[str], progress: ImageProgress | None = None) -> ImportImages:
    """Fetch each image once; report (done, total) after each."""
    images = ImportImages()
    for done, url in enumerate(urls, start=1):
        images.image(url)
        if progress is not None:
            progress(done, len(urls))
    return images


def rewrite_urls(text: str, mapping: dict[str, str]) -> str:
    """Replace each whole URL (raw or HTML-escaped) that `mapping` knows with its new address.

    One scan per body, whatever the number of images in the file.
    """

    def swap(match: re.Match[str]) -> str:
        found = match.group(0)
        return mapping.get(found) or mapping.get(html.unescape(found)) or found

    return _URL.sub(swap, text) if mapping else text


def localize(records: Iterable[Record], mapping: dict[str, str]) -> Iterator[Record]:
    """The records with remote image URLs pointing at our media copies."""
    for record in records:
        if isinstance(record, PostRecord):
            lead = mapping.get(record.lead_image, record.lead_image)
            body = rewrite_urls(record.body, mapping)
            if (lead, body) != (record.lead_image, record.body):
                record = dataclasses.replace(record, lead_image=lead, body=body)
        yield record
