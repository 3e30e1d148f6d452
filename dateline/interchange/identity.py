"""Which source blog an import id belongs to, and the id it had before blogs were in it.

Import ids name the source blog (`wxr:<blog address>/<post id>`,
`blogger:<blog id>.post-<n>`), because two blogs number their posts
independently. Posts and comments imported before that carry the old id
without the blog (`wxr:<post id>`, `blogger:<n>`); `legacy_import_id` gives
that old id so a re-import can still find them (see `legacy_match`).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_LEGACY = (
    (re.compile(r"blogger:\d+\.(?:post|page)-(\d+)"), r"blogger:\1"),
    (re.compile(r"wxr:.+/(\d+)(:c\d+)?"), r"wxr:\1\2"),
)


def wxr_blog_key(url: str) -> str:
    """A WordPress blog's address as part of an id: host (and port) and path, no scheme,
    so the same blog exported over http and https is one blog."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    if not host:
        return ""
    port = f":{parts.port}" if parts.port else ""
    return f"{host}{port}{parts.path.rstrip('/')}"


def wxr_import_id(blog: str, post_id: str) -> str:
    """`wxr:<blog>/<post id>`; `wxr:<post id>` only for a file that names no blog."""
    return f"wxr:{blog}/{post_id}" if blog else f"wxr:{post_id}"


def legacy_import_id(import_id: str) -> str | None:
    """The id this record was stored under before the source blog was part of ids,
    or None when it never had another."""
    for pattern, old in _LEGACY:
        if pattern.fullmatch(import_id):
            return pattern.sub(old, import_id)
    return None
