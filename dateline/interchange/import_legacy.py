"""Posts and comments stored before import ids named their blog, found again safely.

Before, a WordPress post was `wxr:<post id>` and a Blogger one `blogger:<n>`
whatever blog it came from, so a second blog's post 1 overwrote the first
blog's post 1. Rows stored then keep that old id until a re-import of *their*
blog finds them; it is their blog only if the evidence says so:

- a post: the same kind, and the record would put it where it is (its path,
  or one of its old addresses redirects there), or it has the same title
  and publication time;
- a comment: it belongs to the post the record's post was matched to.

A match is re-keyed to the new id on the spot, so the question is asked once.
A row that fails the test is left alone and the record is stored as a new post.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from dateline.comments.models import Comment
from dateline.core.text import clean_text
from dateline.posts.models import Post, Redirect

from .identity import legacy_import_id
from .records import CommentRecord, PostRecord

if TYPE_CHECKING:
    from .importing import ImportSummary

TITLE_MAX = 300


def _by_legacy_id(records: Sequence[PostRecord | CommentRecord], stored) -> dict[str, list]:
    """Records not stored under their own id, by the id they would have had before."""
    wanted: defaultdict[str, list] = defaultdict(list)
    for record in records:
        if record.import_id not in stored and (old := legacy_import_id(record.import_id)):
            wanted[old].append(record)
    return wanted


def _same_post(post: Post, record: PostRecord, redirected_from: set[str]) -> bool:
    if post.kind != record.kind:
        return False
    addresses = {a for a in (record.path, *record.old_paths) if a}
    if post.path and addresses & ({post.path} | redirected_from):
        return True
    title = " ".join(clean_text(record.title).split())[:TITLE_MAX]
    return bool(title) and title == post.title and record.published == post.published_at


class LegacyPosts:
    """Finds and re-keys the posts of this blog that were stored under their old ids."""

    def __init__(self, summary: ImportSummary) -> None:
        self.summary = summary

    def adopt(
        self, records: Sequence[PostRecord], existing: dict[str, Post], path_owner: dict
    ) -> dict[str, Post]:
        """The posts (by new id) stored under old ids that are these records' posts."""
        wanted = _by_legacy_id(records, existing)
        if not wanted:
            return {}
        posts = list(Post.objects.filter(import_ref__in=list(wanted)).select_related("source"))
        redirected: defaultdict[str, set[str]] = defaultdict(set)
        for old, new in Redirect.objects.filter(
            new_path__in=[p.path for p in posts if p.path]
        ).values_list("old_path", "new_path"):
            redirected[new].add(old)
        found: dict[str, Post] = {}
        for post in posts:
            match = next(
                (r for r in wanted[post.import_ref] if r.import_id not in found
                 and _same_post(post, r, redirected[post.path or ""])),
                None,
            )  # fmt: skip
            if match is None:
                self.summary.notes["post under an old id from another blog left alone"] += 1
                continue
            if post.path and path_owner.get(post.path) == post.import_ref:
                path_owner[post.path] = match.import_id
            post.import_ref = match.import_id
            found[match.import_id] = post
        Post.objects.bulk_update(found.values(), ["import_ref"], batch_size=500)
        self.summary.changes["posts given their blog's id"] += len(found)
        return found


def adopt_comments(
    records: Sequence[CommentRecord],
    stored: dict[str, int],
    post_ids: dict[str, int],
    summary: ImportSummary,
) -> dict[str, int]:
    """Comment ids (by new id) stored under old ids on the post their record's post is."""
    wanted = _by_legacy_id(records, stored)
    if not wanted:
        return {}
    rows = Comment.objects.filter(import_ref__in=list(wanted)).only("pk", "import_ref", "post_id")
    found: dict[str, Comment] = {}
    for comment in rows:
        for record in wanted[comment.import_ref]:
            if post_ids.get(record.post_import_id) == comment.post_id:
                comment.import_ref = record.import_id
                found[record.import_id] = comment
                break
    Comment.objects.bulk_update(found.values(), ["import_ref"], batch_size=500)
    summary.changes["comments given their blog's id"] += len(found)
    return {ref: comment.pk for ref, comment in found.items()}
