"""Every visible post read once for a static build, instead of once per page that shows it.

A full build renders each post on its own page and again on five to eight listings (home,
each of its labels, its month and year), and every one of those pages read its posts, their
labels and their comments anew, and those queries were a large share of a build. While
`holding()` is on (around a full build's rendering; the workers it forks inherit it), the
selectors answer from one read of them instead (`current()`):

- the post at a path, with its labels (`visible_post_at`);
- the posts of a listing page: the page's ids still come from the database, in the
  listing's own order and filters, and the posts themselves from here (`PostList`);
- a post's neighbours, from the listing order (`neighbours`);
- a post's approved comments (`comment_threads`);
- labels by key (`labels_for_expression`), and a feed's posts (`feeds._post_content`).

Anywhere else, and so on every live page, `current()` is None and the selectors ask the
database. A context variable, not a global: the mirror's updates run on a thread beside
the requests of `dateline serve`. The tests hold every mirrored page to the live one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from dateline.posts.models import Label, Post

if TYPE_CHECKING:
    from dateline.comments.models import Comment


@dataclass(frozen=True)
class Preloaded:
    """What the build's pages read of posts, as of the build's start."""

    by_id: dict[int, Post]  # visible posts and pages, as a listing loads them, labelled
    by_path: dict[str, Post]
    newest_first: list[Post]  # published blog posts, in listing order
    position: dict[int, int]  # a published post's place in newest_first
    comments: dict[int, list[Comment]]  # approved, oldest first, by post id
    labels_by_key: dict[str, Label]  # every label a published post carries

    def neighbours(self, post: Post) -> tuple[Post | None, Post | None]:
        """(newer, older) published post, as selectors.neighbours finds them."""
        place = self.position.get(post.pk)
        if place is None:
            return None, None
        newer = self.newest_first[place - 1] if place > 0 else None
        older = self.newest_first[place + 1] if place + 1 < len(self.newest_first) else None
        return newer, older


def read() -> Preloaded:
    """Every visible post and page with its labels, the labels published posts carry, and
    every approved comment: four queries, whatever the blog's size."""
    from dateline.comments.models import Comment

    now = timezone.now()
    # Not the Markdown source: no page shows it, and it was a tenth of a big build's memory.
    posts = list(
        Post.objects.visible(now).for_listing().prefetch_related(None).defer("body_source")
    )
    by_id = {post.pk: post for post in posts}
    for post in posts:
        post.label_list = []
    links = Post.labels.through.objects.filter(post__in=Post.objects.visible(now))
    labels = Label.objects.in_bulk()
    for post_id, label_id in links.order_by("label__name", "label_id").values_list(
        "post_id", "label_id"
    ):
        by_id[post_id].label_list.append(labels[label_id])
    newest_first = [post for post in posts if post.kind == Post.Kind.POST]  # listing order
    comments: dict[int, list[Comment]] = {}
    approved = Comment.objects.approved().filter(post__in=Post.objects.visible(now))
    for comment in approved.order_by("created_at", "id"):
        comments.setdefault(comment.post_id, []).append(comment)
    return Preloaded(
        by_id=by_id,
        by_path={post.path: post for post in posts if post.path},
        newest_first=newest_first,
        position={post.pk: place for place, post in enumerate(newest_first)},
        comments=comments,
        labels_by_key={label.key: label for post in newest_first for label in post.label_list},
    )


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
