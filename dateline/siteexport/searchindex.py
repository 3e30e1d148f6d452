"""The client-side search's index: every visible post and page, in shards of fixed id ranges.

`/search-index.json` names the shards and holds the order of the posts (newest first, then
the pages: what the search page lists equal scores by); each shard,
`/search-index/<n>.json`, holds the entries of the posts whose id falls in its range, by
id. A change to one post rewrites its shard and the small head, never the whole index (on
a big blog the index is tens of megabytes, and writing and hashing it whole was most of an
update). Readers' browsers keep the shards that did not change. A shard is built from the
database alone, whatever was there before, so an update writes the same bytes a full build
does (a test holds them equal).
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from dateline.core.batching import in_batches
from dateline.posts.models import Post
from dateline.posts.selectors import labels_of_posts
from dateline.siteexport.collect import SEARCH_INDEX, PostState, SiteState

SHARD_IDS = 2000  # post ids per shard: a shard stays a small file on any blog
SHARD_FOLDER = SEARCH_INDEX.removesuffix(".json")
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


def _encode(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def shard_of(pk: int) -> int:
    return pk // SHARD_IDS


def shard_file(number: int) -> str:
    """The shard's file in the mirror (its URL is the same, with a leading slash)."""
    return f"{SHARD_FOLDER.lstrip('/')}/{number}.json"


def _numbers(state: SiteState) -> list[int]:
    """The shards that hold a visible post, ascending."""
    return sorted({shard_of(post.id) for post in state.posts + state.pages})


def _posts_in(state: SiteState, number: int) -> list[PostState]:
    """The visible posts of one shard, by id."""
    found = (post for post in state.posts + state.pages if shard_of(post.id) == number)
    return sorted(found, key=lambda post: post.id)


def head(state: SiteState) -> bytes:
    """`/search-index.json`: the shards' addresses and the posts' order."""
    return _encode({"shards": [f"/{shard_file(number)}" for number in _numbers(state)],
                    "order": [post.id for post in state.posts + state.pages]})  # fmt: skip


# Each post's entry, encoded, with the fingerprint of the state it was read for
# (collect.PostState: it moves with everything an entry shows). A shard rebuilt after one
# change reads that post again and keeps the rest; a fingerprint that differs, whoever
# changed the post, means the entry is read again. Updates keep them; a full build keeps
# none (every entry of a big blog, held for an update that reads a shard or two).
_kept: dict[int, tuple[str, bytes]] = {}


def shard_bytes(posts: list[PostState], keep: bool = True) -> bytes:
    """One shard: the entries of `posts` (visible, by id), as a JSON list: the bytes
    `json.dumps` gives for the list, joined from each entry's own encoding. With `keep`,
    the entries read are kept for the next shard built in this process (an update's)."""
    entries = {post.id: _kept.get(post.id) for post in posts}
    missing = [post for post in posts if (entries[post.id] or ("",))[0] != post.fingerprint]
    for part in in_batches(missing):
        batch = {post.id: post.fingerprint for post in part}
        for pk, entry in _entries(list(batch)).items():
            entries[pk] = (batch[pk], _encode(entry))
            if keep:
                _kept[pk] = entries[pk]
    shown = (entries[post.id] for post in posts)
    return b"[" + b",".join(entry[1] for post, entry in zip(posts, shown, strict=True)
                            if entry and entry[0] == post.fingerprint) + b"]"  # fmt: skip


def _by_shard(posts: Iterable[PostState]) -> dict[int, list[PostState]]:
    shards: defaultdict[int, list[PostState]] = defaultdict(list)
    for post in sorted(posts, key=lambda post: post.id):
        shards[shard_of(post.id)].append(post)
    return shards


def all_index_files(state: SiteState) -> Iterator[tuple[str, bytes]]:
    """Every file of the index, one at a time, for a full build to write as they come:
    it never holds the whole index (tens of megabytes on a big blog), nor keeps the
    entries (an update reads the few it needs)."""
    yield SEARCH_INDEX.lstrip("/"), head(state)
    shards = _by_shard(state.posts + state.pages)
    for number in sorted(shards):
        yield shard_file(number), shard_bytes(shards.pop(number), keep=False)


def index_files(state: SiteState, changed: Iterable[int]) -> dict[str, bytes | None]:
    """The head and the shards holding the posts `changed` (ids of posts that differ from
    the mirror's last state), and their bytes. A shard left empty maps to None: its file
    goes."""
    files: dict[str, bytes | None] = {SEARCH_INDEX.lstrip("/"): head(state)}
    for number in sorted({shard_of(pk) for pk in changed}):
        posts = _posts_in(state, number)
        files[shard_file(number)] = shard_bytes(posts) if posts else None
    return files
