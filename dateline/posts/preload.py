"""A static build's posts read once per chunk of pages, instead of once per page that shows them.

A full build renders each post on its own page and again on five to eight listings (home,
each of its labels, its month and year), and every one of those pages read its posts, their
labels and their comments anew, and those queries were a large share of a build. The build
reads a `Frame` once (its clock, the listing order as ids, the labels); each chunk of pages
then reads the posts it shows (`read(ids, frame)`, a few queries per batch of posts) and, while
`holding()` is on around the chunk, the selectors answer from that read (`current()`):

- the post at a path, with its labels (`visible_post_at`);
- the posts of a listing page: the page's ids still come from the database, in the
  listing's own order and filters, and the posts themselves from here (`PostList`);
- a post's neighbours, from the listing order (`neighbours`);
- a post's approved comments (`comment_threads`);
- labels by key (`labels_for_expression`), and a feed's posts (`feeds._post_content`).

A post the chunk did not read is read from the database, as on a live page. Reading every
post once, before the workers forked, held them all in every process of the build: most
of its memory on a big blog. Anywhere else, and so on every live page, `current()` is None
and the selectors ask the database. A context variable, not a global: the mirror's updates
run on a thread beside the requests of `dateline serve`. The tests hold every mirrored page
to the live one.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef
from django.utils import timezone

from dateline.core.batching import in_batches
from dateline.posts.models import Label, Post

if TYPE_CHECKING:
    from dateline.comments.models import Comment


@dataclass(frozen=True)
class Frame:
    """What every part of a build shares, read once (in the parent, before the workers
    fork): the build's clock, the listing order as ids and the labels. Small whatever the
    blog's size: a post's own columns are read by the part of the build that shows it."""

    now: datetime
    newest_first: list[int]  # published blog posts' ids, in listing order
    position: dict[int, int]  # a published post's place in newest_first
    labels: dict[int, Label]  # every label by id (a post's label_list holds these)
    labels_by_key: dict[str, Label]  # every label a published post carries


def frame(now: datetime | None = None) -> Frame:
    """The listing order and the labels at `now` (default: the clock): three queries."""
    now = now or timezone.now()
    published = Post.objects.published(now)
    newest_first = list(published.order_by("-published_at", "-id").values_list("id", flat=True))
    labels = Label.objects.in_bulk()
    carried = Label.objects.filter(Exists(published.filter(labels=OuterRef("pk"))))
    return Frame(now=now, newest_first=newest_first,
                 position={pk: place for place, pk in enumerate(newest_first)}, labels=labels,
                 labels_by_key={labels[pk].key: labels[pk] for pk in carried.values_list(
                     "pk", flat=True) if pk in labels})  # fmt: skip


@dataclass(frozen=True)
class Preloaded:
    """What the build's pages read of posts, as of the frame's time: the posts read (all,
    or those a chunk of pages shows) and the frame."""

    by_id: dict[int, Post]  # visible posts and pages, as a listing loads them, labelled
    by_path: dict[str, Post]
    comments: dict[int, list[Comment]]  # approved, oldest first, by post id
    frame: Frame

    @property
    def labels_by_key(self) -> dict[str, Label]:
        return self.frame.labels_by_key

    @property
    def position(self) -> dict[int, int]:
        return self.frame.position

    def neighbours(self, post: Post) -> tuple[Post | None, Post | None] | None:
        """(newer, older) published post, as selectors.neighbours finds them; None when
        one of them was not read (the database answers then)."""
        order = self.frame.newest_first
        place = self.frame.position.get(post.pk)
        if place is None:
            return None, None
        found = []
        for other in (place - 1, place + 1):
            if 0 <= other < len(order):
                neighbour = self.by_id.get(order[other])
                if neighbour is None:
                    return None
                found.append(neighbour)
            else:
                found.append(None)
        return found[0], found[1]


def read(ids: Collection[int] | None = None, framed: Frame | None = None) -> Preloaded:
    """Every visible post and page (or those of `ids` that are) with its labels and
    approved comments, as of `framed` (default: a frame read now): a few queries per
    batch of posts."""
    from dateline.comments.models import Comment

    framed = framed or frame()
    visible = Post.objects.visible(framed.now)
    # Not the Markdown source: no page shows it, and it was a tenth of a big build's memory.
    listed = visible.for_listing().prefetch_related(None).defer("body_source")
    links = Post.labels.through.objects.order_by("label__name", "label_id")
    approved = Comment.objects.approved().order_by("created_at", "id")
    if ids is None:
        batches = [(listed, links.filter(post__in=visible), approved.filter(post__in=visible))]
    else:
        parts = in_batches(sorted(ids))
        batches = [(listed.filter(pk__in=part), links.filter(post_id__in=part),
                    approved.filter(post_id__in=part)) for part in parts]  # fmt: skip
    by_id: dict[int, Post] = {}
    comments: dict[int, list[Comment]] = {}
    labels = framed.labels
    for posts, pairs, threads in batches:
        found = {post.pk: post for post in posts}
        for post in found.values():
            post.label_list = []
        rows = list(pairs.values_list("post_id", "label_id"))
        unknown = {label_id for _, label_id in rows if label_id not in labels}
        if unknown:  # a label made after the frame was read
            labels = {**labels, **Label.objects.in_bulk(unknown)}
        for post_id, label_id in rows:
            if post_id in found:
                found[post_id].label_list.append(labels[label_id])
        by_id.update(found)
        for comment in threads:
            if comment.post_id in found:
                comments.setdefault(comment.post_id, []).append(comment)
    return Preloaded(by_id=by_id, by_path={post.path: post for post in by_id.values() if post.path},
                     comments=comments, frame=framed)  # fmt: skip


_held: ContextVar[Preloaded | None] = ContextVar("dateline_preloaded", default=None)


def current() -> Preloaded | None:
    """What a build preloaded, or None (live pages, incremental updates)."""
    return _held.get()


@contextmanager
def holding(preloaded: Preloaded) -> Iterator[Preloaded]:
    """Answer the selectors' reads from `preloaded` until the block ends."""
    token = _held.set(preloaded)
    try:
        yield preloaded
    finally:
        _held.reset(token)
