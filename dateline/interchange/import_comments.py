"""CommentRecords → Comment rows, a batch at a time, with threads kept.

Readers release every comment after its post and its parent, so a batch only
needs ids already known, or ids of parents created in the same batch (filled
in with one extra UPDATE after the INSERT).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dateline.comments.models import Comment

from .bulk import ids_by, insert_rows
from .comment_text import render_imported_comment
from .errors import ImportFileError
from .import_legacy import adopt_comments
from .prepare import AUTHOR_NAME_MAX, CommentValues, author_cut, comment_values
from .records import CommentRecord

if TYPE_CHECKING:
    from .summary import ImportSummary

INSERTED = (
    "post_id", "parent_id", "author_name", "author_email", "author_url", "body", "body_html",
    "created_at", "status", "ip_hash", "import_ref",
)  # fmt: skip
COMPARED = ("post_id", "author_name", "author_email", "author_url", "body", "created_at", "status")


class CommentWriter:
    """Writes comments batch by batch; remembers import ref → id for threading."""

    def __init__(self, summary: ImportSummary, post_ids: dict[str, int]) -> None:
        self.summary = summary
        self.post_ids = post_ids
        self.ids: dict[str, int] = {}
        self.touched_posts: set[int] = set()  # posts whose comments were written

    def write(
        self, records: Sequence[CommentRecord], prepared: Sequence[CommentValues | None]
    ) -> None:
        """Store a batch; `prepared` holds each record's values if worked out ahead, or None."""
        stored = ids_by(Comment, "import_ref", [r.import_id for r in records])
        stored.update(adopt_comments(records, stored, self.post_ids, self.summary))
        self.ids.update(stored)
        existing = {c.import_ref: c for c in Comment.objects.filter(pk__in=stored.values())}
        new: list[dict[str, Any]] = []  # plain rows: a Comment instance each costs seconds
        changed: list[Comment] = []
        waiting: dict[str, str] = {}  # import ref → its parent's, created in this batch
        for record, values in zip(records, prepared, strict=True):
            self.summary.comments += 1
            if author_cut(record.author_name):
                self.summary.notes[f"comment author name cut to {AUTHOR_NAME_MAX} characters"] += 1
            row = self._row(record, waiting, values or comment_values(record))
            comment = existing.get(record.import_id)
            if comment is None:
                if "body_html" not in row:
                    row["body_html"] = render_imported_comment(row["body"])
                new.append(row)
            elif _update(comment, row, record.import_id in waiting):
                changed.append(comment)
        self._insert(new, waiting)
        for comment in changed:
            if comment.import_ref in waiting:
                comment.parent_id = self.ids[waiting[comment.import_ref]]
        Comment.objects.bulk_update(changed, [*COMPARED, "parent_id", "body_html"], batch_size=500)
        self.touched_posts.update(row["post_id"] for row in new)
        self.touched_posts.update(c.post_id for c in changed)
        self.summary.changes["comments created"] += len(new)
        self.summary.changes["comments updated"] += len(changed)

    def _row(
        self, record: CommentRecord, waiting: dict[str, str], values: CommentValues
    ) -> dict[str, Any]:
        """The stored values of a record, with its post's and (if known) parent's ids."""
        post_id = self.post_ids.get(record.post_import_id)
        if post_id is None:
            raise ImportFileError(
                f"comment answers {record.post_import_id!r}, which is not in the file",
                entry=record.import_id,
            )
        parent = record.parent_import_id
        parent_id = self.ids.get(parent) if parent else None
        if parent and parent_id is None:
            waiting[record.import_id] = parent
        return {"post_id": post_id, "parent_id": parent_id, "ip_hash": "", **values,
                "import_ref": record.import_id}  # fmt: skip

    def _insert(self, rows: list[dict[str, Any]], waiting: dict[str, str]) -> None:
        """INSERT in waves: comments whose parent is known, then their replies, and so on.

        Plain executemany (see `bulk`), then one query for the new ids by import ref.
        """
        pending = rows
        while pending:
            ready = [r for r in pending if waiting.get(r["import_ref"], "") in self.ids or
                     r["import_ref"] not in waiting]  # fmt: skip
            if not ready:
                raise ImportFileError(
                    "comments answer each other in a circle", entry=pending[0]["import_ref"]
                )
            for row in ready:
                if row["import_ref"] in waiting:
                    row["parent_id"] = self.ids[waiting[row["import_ref"]]]
            insert_rows(Comment, INSERTED, ([row[f] for f in INSERTED] for row in ready))
            self.ids.update(ids_by(Comment, "import_ref", [row["import_ref"] for row in ready]))
            pending = [row for row in pending if row["import_ref"] not in self.ids]


def _update(comment: Comment, row: dict[str, Any], parent_pending: bool) -> bool:
    """Set a stored comment's fields to the row's; say whether anything changed."""
    changed = any(getattr(comment, name) != row[name] for name in COMPARED)
    if not changed and not parent_pending and comment.parent_id == row["parent_id"]:
        return False
    for name in (*COMPARED, "parent_id"):
        setattr(comment, name, row[name])
    if changed:
        comment.body_html = row.get("body_html") or render_imported_comment(comment.body)
    return True
