"""WordPress attachments by id, read in a first pass over a WXR file.

A gallery names its images by attachment id and a featured image is a post's
`_thumbnail_id`, but WordPress writes attachments wherever it likes, often after
the posts that show them. So before the records stream, one quick pass over the
file (the same hardened parser) collects every attachment's address, title,
caption and post; only these few strings per attachment stay in memory.
"""

from __future__ import annotations

import os

from .wp_bodies import Attachment
from .xmlsafe import Source, iter_elements

WP_EXPORT = "wordpress.org/export/"


def _wp(elem) -> str:
    bound = elem.nsmap.get("wp", "")
    if WP_EXPORT in bound:
        return f"{{{bound}}}"
    return next((f"{{{u}}}" for u in elem.nsmap.values() if u and WP_EXPORT in u), "{}")


def read_attachments(source: Source) -> dict[str, Attachment]:
    """Attachment post id → Attachment; a file object is rewound for the next reader."""
    found: dict[str, Attachment] = {}
    if not isinstance(source, str | os.PathLike):
        if not source.seekable():
            return found
        start = source.tell()
    for item in iter_elements(source, {"item"}, roots={"rss"}, release_tags={"item"}):
        wp = _wp(item)
        if (item.findtext(wp + "post_type") or "").strip() != "attachment":
            continue
        post_id = (item.findtext(wp + "post_id") or "").strip()
        url = (item.findtext(wp + "attachment_url") or item.findtext("guid") or "").strip()
        if post_id and url:
            found[post_id] = Attachment(
                url=url,
                title=(item.findtext("title") or "").strip(),
                caption=(
                    item.findtext("{http://wordpress.org/export/1.2/excerpt/}encoded") or ""
                ).strip(),
                parent=(item.findtext(wp + "post_parent") or "").strip(),
            )
    if not isinstance(source, str | os.PathLike):
        source.seek(start)
    return found
