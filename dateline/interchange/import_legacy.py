"""Posts and comments stored before import ids named their blog, found again safely.

Before, a WordPress post was `wxr:<post id>` and a Blogger one `blogger:<n>`
whatever blog it came from, so a second blog's post 1 overwrote the first
blog's post 1. Rows stored then keep that old id until a re-import of *their*
blog finds them; it is their blog only if the evidence says so:

- a post: the same kind, and the record would put it where it is (its path,
  or one of its old addresses redirects there), or it has the same title
  and publication time;
- a comment: it belongs to the post the record's post was matched to.

Rows written here have no import id; our exports call them `dateline:<pk>`
(`dateline:c<pk>` for comments), and re-importing such an export finds them by
that primary key under the same test (the file may come from another site).
A match is re-keyed to the new id on the spot, so the question is asked once.
A row that fails the test is left alone and the record is stored as a new post.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from dateline.comments.models import Comment
from dateline.core.text import clean_text
from dateline.posts.models import Post, Redirect

from .identity import legacy_import_id
from .records import CommentRecord, PostRecord

if TYPE_CHECKING:
    from .summary import ImportSummary

TITLE_MAX = 300
LOCAL_ID = re.compile(r"dateline:c?(\d+)")  # what exports call a row that has no import id


def _by_legacy_id(records: Sequence[PostRecord | CommentRecord], stored) -> dict[str, list]:
    """Records not stored under their own id, by the id they would have had before
    (`dateline:<pk>`: by that, for a row written here, which has no import id)."""
    wanted: defaultdict[str, list] = defaultdict(list)
    for record in records:
        if record.import_id in stored:
            continue
        if (old := legacy_import_id(record.import_id)) or LOCAL_ID.fullmatch(record.import_id):
            wanted[old or record.import_id].append(record)
    return wanted


def _old_id(row: Post | Comment) -> str:
    if row.import_ref:
        return row.import_ref
    return f"dateline:{row.pk}" if isinstance(row, Post) else f"dateline:c{row.pk}"


def _stored_under(rows: QuerySet, wanted: dict[str, list]) -> list:
    """Rows stored under one of the old ids, or written here and exported as `dateline:…`."""
    local = [int(m.group(1)) for old in wanted if (m := LOCAL_ID.fullmatch(old))]
    found = rows.filter(Q(import_ref__in=list(wanted)) | Q(pk__in=local, import_ref__isnull=True))
    return [row for row in found if _old_id(row) in wanted]


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
        posts = _stored_under(Post.objects.select_related("source"), wanted)
        redirected: defaultdict[str, set[str]] = defaultdict(set)
        for old, new in Redirect.objects.filter(
            new_path__in=[p.path for p in posts if p.path]
        ).values_list("old_path", "new_path"):
            redirected[new].add(old)
        found: dict[str, Post] = {}
        for post in posts:
            match = next(
                (r for r in wanted[_old_id(post)] if r.import_id not in found
                 and _same_post(post, r, redirected[post.path or ""])),
                None,
            )  # fmt: skip
            if match is None:
                self.summary.notes["post under an old id from another blog left alone"] += 1
                continue
            if post.path and post.path in path_owner:
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
    rows = _stored_under(Comment.objects.only("pk", "import_ref", "post_id"), wanted)
    found: dict[str, Comment] = {}
    for comment in rows:
        for record in wanted[_old_id(comment)]:
            if post_ids.get(record.post_import_id) == comment.post_id:
                comment.import_ref = record.import_id
                found[record.import_id] = comment
                break
    Comment.objects.bulk_update(found.values(), ["import_ref"], batch_size=500)
    summary.changes["comments given their blog's id"] += len(found)
    return {ref: comment.pk for ref, comment in found.items()}
