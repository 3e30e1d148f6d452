"""The client-side search's index: one small JSON file of every visible post and page.

Entries are keyed by post id, so an update re-reads only the posts that changed and keeps
the rest of the previous index. Each entry is kept encoded: the index is the entries'
JSON joined, the bytes `json.dumps` gives for the whole list, so an update encodes only
the changed posts (encoding 100,000 entries was most of an update's time).
"""

from __future__ import annotations

import html
import json
import re

from dateline.posts.models import Post
from dateline.posts.selectors import labels_of_posts
from dateline.siteexport.collect import SiteState

_TAG = re.compile(r"<[^>]+>")
_TEXT_CHARS = 400


def _text(body_html: str, excerpt: str) -> str:
    """A plain-text start of the post: enough to match on and to show as a snippet."""
    text = excerpt or html.unescape(_TAG.sub(" ", body_html))
    return " ".join(text.split())[:_TEXT_CHARS]


def _entries(ids: list[int]) -> dict[int, dict]:
    rows = Post.objects.filter(pk__in=ids).values_list(
        "id", "title", "path", "published_at", "body_html", "excerpt"
    )
    labels = labels_of_posts(ids)
    return {
        pk: {"i": pk, "t": title, "u": path, "d": when.date().isoformat(),
             "l": [name for name, _ in labels.get(pk, ())], "x": _text(body, excerpt)}
        for pk, title, path, when, body, excerpt in rows
    }  # fmt: skip


def _encode(entry: dict) -> bytes:
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()


# The last index this process wrote and its entries, encoded, by post id.
_last: tuple[bytes, dict[int, bytes]] = (b"", {})


def _encoded(previous: bytes) -> dict[int, bytes]:
    if previous == _last[0]:
        return dict(_last[1])
    return {entry["i"]: _encode(entry) for entry in json.loads(previous)}


def build_index(state: SiteState, previous: bytes | None = None,
                changed: set[int] | None = None) -> bytes:  # fmt: skip
    """The index as bytes; with `previous`, only `changed` posts are read again."""
    global _last
    order = [post.id for post in state.posts + state.pages]
    known: dict[int, bytes] = {}
    if previous is not None and changed is not None:
        known = _encoded(previous)
        for pk in changed:
            known.pop(pk, None)
    missing = [pk for pk in order if pk not in known]
    for start in range(0, len(missing), 900):  # SQLite's limit on query parameters
        found = _entries(missing[start : start + 900])
        known.update((pk, _encode(entry)) for pk, entry in found.items())
    kept = {pk: known[pk] for pk in order if pk in known}
    data = b"[" + b",".join(kept.values()) + b"]"
    _last = (data, kept)
    return data
