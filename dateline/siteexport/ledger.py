"""Which posts this process's own committed writes changed, by content version number.

An update compares the site's state with the mirror's; reading the whole state (every
visible post, its labels, its source and author) is most of an update on a big blog. But
a process that made every change since its last update itself has heard them all: each
bump of the content version is announced (`serving.signals.version_bumped`) with the
number it set and the change that made it. The ledger keeps, once the write has
committed, that number and the posts the change touched. An update whose version
counter moved only by numbers in the ledger reads those posts alone and keeps the rest of
its last state (`collect.load_state_narrow`); any number missing (another process's
write, a rolled-back one reused, a change the ledger cannot pin to posts) means the whole
state is read, as before. Numbers are unique per committed bump, so another writer can
never pass for this one.
"""

from __future__ import annotations

import threading

from django.db import transaction

from dateline.comments.models import Comment
from dateline.core.batching import in_batches
from dateline.posts.models import Post
from dateline.serving.signals import version_bumped

EVERYTHING = None  # a change whose posts the ledger cannot name

_lock = threading.Lock()
_heard: dict[int, frozenset[int] | None] = {}  # counter → posts changed, committed only
# Notes kept at most: a process that writes but never updates a mirror (no
# DATELINE_STATIC_MIRROR) would otherwise keep one per write for as long as it runs. A
# note let go only means a whole read, as for a change this process did not hear.
KEPT = 10_000
# An import of more posts is noted as a change to everything: reading that many posts
# one by one costs about what reading the whole state does.
IMPORT_NAMED_UP_TO = 1_000


def _posts_of(sender: object, change: dict) -> frozenset[int] | None:
    """The posts a change can alter the state of; EVERYTHING when it cannot be told (a
    label's name, a source, an author, the blog's settings, a big import)."""
    if "post_ids" in change:  # posts.signals.posts_imported
        return _imported(change["post_ids"])
    instance = change.get("instance")
    if sender is Post.labels.through:
        if not change.get("reverse"):
            return frozenset({instance.pk})
        found = change.get("pk_set")
        return frozenset(found) if found is not None else EVERYTHING
    if sender is Post:
        return frozenset({instance.pk})
    if sender is Comment:  # its post's count and newest comment
        return frozenset({instance.post_id})
    return EVERYTHING


def _imported(post_ids: set[int]) -> frozenset[int] | None:
    """The posts an import wrote (with their labels, comments, sources and new authors;
    an import never changes an account it finds) and those sharing a source with them,
    which an import may have updated. A big import is a whole read anyway."""
    if len(post_ids) > IMPORT_NAMED_UP_TO:
        return EVERYTHING
    found = set(post_ids)
    for chunk in in_batches(sorted(post_ids)):
        found.update(Post.objects.filter(source__posts__in=chunk).values_list("pk", flat=True))
    return frozenset(found)


def _heard_bump(sender, counter: int, change_sender: object, change: dict, **kwargs) -> None:
    posts = _posts_of(change_sender, change)

    def record() -> None:
        with _lock:
            _heard[counter] = posts
            while len(_heard) > KEPT:
                del _heard[next(iter(_heard))]  # the oldest heard

    transaction.on_commit(record)  # a rolled-back bump's number may be set again by another


def take() -> dict[int, frozenset[int] | None]:
    """Everything heard since the last call (an update takes it once)."""
    global _heard
    with _lock:
        found, _heard = _heard, {}
    return found


def posts_between(heard: dict[int, frozenset[int] | None], since: int,
                  now: int) -> set[int] | None:  # fmt: skip
    """The posts changed by the bumps after `since` up to `now`, if every one of them was
    heard here and named its posts; else None (read the whole state)."""
    found: set[int] = set()
    for counter in range(since + 1, now + 1):
        posts = heard.get(counter, EVERYTHING)
        if posts is EVERYTHING:
            return None
        found |= posts
    return found


def connect() -> None:
    version_bumped.connect(_heard_bump, dispatch_uid="mirror-ledger")
