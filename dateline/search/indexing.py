"""Keeping the index in step with posts: changes are queued and applied after commit.

A post saved in the admin fires several signals (the save, then the labels being
cleared and set); each queues its post id and asks for a flush on commit. The
first flush takes every queued id, the others find nothing left, so the post is
indexed once. If the transaction rolls back, its ids stay queued and the next
flush re-reads them, which is harmless: indexing always reads the current state.
"""

import threading
from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, transaction

from dateline.core.planner import refresh_statistics_if_stale
from dateline.posts.models import Post
from dateline.search.backends import get_backend
from dateline.search.documents import documents, indexable_posts
from dateline.search.models import SearchDocument

_pending = threading.local()


def _queue() -> set[int]:
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    return _pending.ids


def reindex(post_ids: Iterable[int]) -> None:
    """Index these posts as they are now: add, update, or remove if no longer indexable."""
    ids = sorted(set(post_ids))
    if ids:
        get_backend().replace(ids, [doc for batch in documents(ids) for doc in batch])


def flush() -> None:
    """Index every queued post (runs after a commit)."""
    ids, _pending.ids = _queue(), set()
    reindex(ids)


def schedule(post_ids: Iterable[int]) -> None:
    """Reindex these posts once the current transaction commits (at once outside one)."""
    ids = {post_id for post_id in post_ids if post_id is not None}
    if ids:
        _queue().update(ids)
        transaction.on_commit(flush, robust=True)


def rebuild() -> int:
    """Rebuild the whole index from the posts; returns how many documents it holds. The
    planner's statistics are then brought up to the blog's size (core.planner)."""
    written = get_backend().rebuild(documents())
    refresh_statistics_if_stale(Post)
    return written


def after_migrate(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """After `migrate` or a test flush: an emptied document table must mean an emptied
    engine index (FTS5 keeps its own), and a blog that has posts but no index yet (the
    first migrate after an upgrade) gets its first build."""
    if using != DEFAULT_DB_ALIAS or SearchDocument.objects.exists():
        return
    if indexable_posts().exists():
        rebuild()
    else:
        get_backend().rebuild([])
