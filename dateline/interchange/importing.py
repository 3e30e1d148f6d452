"""Records from any reader → the database: one transaction, idempotent, in bulk.

`import_records` streams the records a reader yields and writes them in
batches (posts first, then the comments that follow them), keyed by
`import_ref`, so re-running a file updates what changed and duplicates
nothing. Any error rolls everything back; a dry run rolls back on purpose.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from django.db import transaction

from dateline.core.planner import refresh_statistics
from dateline.posts.signals import posts_imported

from .import_comments import CommentWriter
from .import_posts import PostWriter
from .local_files import LocalFiles
from .prepare import CommentValues, PostBody, Prepared
from .records import CommentRecord, PostRecord, Record, SiteRecord
from .summary import ImportSummary

BATCH_SIZE = 1000
PROGRESS_EVERY = 1000


def _kept(reason: str) -> bool:
    """Readers count items they kept in another form ("kept as draft") with the skipped."""
    return " kept as " in reason


class _Batches:
    def __init__(self, summary: ImportSummary, local_files: LocalFiles) -> None:
        self.summary = summary
        self.posts = PostWriter(summary, local_files)
        self.comments = CommentWriter(summary, self.posts.ids)
        self.pending_posts: list[PostRecord] = []
        self.post_bodies: list[PostBody | None] = []
        self.pending_comments: list[CommentRecord] = []
        self.comment_values: list[CommentValues | None] = []

    def add(self, item: Record | Prepared) -> None:
        record, derived = item if isinstance(item, Prepared) else (item, None)
        if isinstance(record, SiteRecord):
            self.summary.site = record
            self.posts.labels.ensure(record.labels)
            self.posts.redirects.store(
                {old: self.posts.labels.page_of(name) for old, name in record.label_paths}
            )
            return
        if isinstance(record, PostRecord):
            self.pending_posts.append(record)
            self.post_bodies.append(derived if isinstance(derived, PostBody) else None)
        else:
            self.pending_comments.append(record)
            self.comment_values.append(derived if isinstance(derived, dict) else None)
        if len(self.pending_posts) + len(self.pending_comments) >= BATCH_SIZE:
            self.flush()

    def touched_posts(self) -> set[int]:
        """Posts whose own row, labels or comments were written."""
        posts = self.posts
        return posts.written | posts.labels.touched_posts | self.comments.touched_posts

    def flush(self) -> None:
        """Posts before comments: every comment's post is then stored."""
        if self.pending_posts:
            self.posts.write(self.pending_posts, self.post_bodies)
        if self.pending_comments:
            self.comments.write(self.pending_comments, self.comment_values)
        self.pending_posts, self.post_bodies = [], []
        self.pending_comments, self.comment_values = [], []


ANALYZE_FROM = 500  # posts written; a few posts do not change the data's shape


def import_records(
    records: Iterable[Record | Prepared],
    *,
    dry_run: bool = False,
    reader_skipped: Counter[str] | None = None,
    progress: Callable[[ImportSummary], None] | None = None,
    local_files: LocalFiles | None = None,
) -> ImportSummary:
    """Store everything the records describe, or nothing (errors and dry runs roll back).

    Images named by a local path are read only through `local_files` (by default none:
    the caller names the folders being imported).

    Records may come `Prepared` (rendered ahead, see `read_ahead`).
    `reader_skipped` is the Counter the reader was given; its reasons end up
    in the summary. `progress` is called every PROGRESS_EVERY records.
    """
    summary = ImportSummary(dry_run=dry_run)
    with transaction.atomic():
        batches = _Batches(summary, local_files or LocalFiles())
        for number, record in enumerate(records, start=1):
            batches.add(record)
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(summary)
        batches.flush()
        if dry_run:
            transaction.set_rollback(True)
        elif any(summary.changes.values()):
            posts_imported.send(sender=ImportSummary, post_ids=batches.touched_posts())
    if not dry_run and len(batches.posts.written) >= ANALYZE_FROM:
        refresh_statistics()
    for reason, count in (reader_skipped or Counter()).items():
        (summary.notes if _kept(reason) else summary.skipped)[reason] += count
    return summary
