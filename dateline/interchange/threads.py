"""Orders a stream of posts and comments so every comment follows what it answers.

Exports list comments before their posts, or replies before their parents,
whenever they like. Readers pass every post and comment through a
`ThreadOrder`, which holds back a comment until its post (and parent comment)
has been yielded, drops comments on skipped posts, and at the end refuses a
comment whose post is not in the file. An entry that cannot be imported goes to
`EntryProblems`: listed and skipped (with whatever answers it), or under
`--strict` refused with the file.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .common import scrub
from .errors import EntryProblems, ImportFileError, values_checked
from .records import CommentRecord, PostRecord, Record

PROBLEM = "entry with a problem (each is listed with its line)"
ON_SKIPPED = "comment on a skipped post or comment"


@dataclass
class _Waiting:
    record: CommentRecord
    line: int | None
    reply_to: str  # takeout-style reference to a post *or* a comment; "" when not used


class ThreadOrder:
    """Releases records in an order a database writer can stream without lookups."""

    def __init__(
        self, file: str, skipped: Counter[str], problems: EntryProblems | None = None
    ) -> None:
        self.file = file
        self.skipped = skipped
        self.problems = problems if problems is not None else EntryProblems(strict=True)
        self.posts: set[str] = set()
        self.skipped_ids: set[str] = set()
        self.comment_post: dict[str, str] = {}
        self.waiting: defaultdict[str, list[_Waiting]] = defaultdict(list)
        self.aliases: dict[str, str] = {}  # another name a reference may use → import id

    def _duplicate(self, import_id: str, line: int | None) -> bool:
        """A second entry with an id already seen is refused, or skipped (the first stays)."""
        if import_id in self.posts or import_id in self.comment_post:
            self.problems.skip(
                ImportFileError(
                    "the same id appears twice", file=self.file, line=line, entry=import_id
                )
            )
            self.skipped[PROBLEM] += 1
            return True
        return False

    def entry(
        self, records: Callable[[], Iterable[Record]], line: int | None, import_id: str
    ) -> Iterator[Record]:
        """Read one entry whole, then release it; an entry that cannot be read is refused
        (strict) or listed and skipped, with the comments that answer it."""
        try:
            with values_checked(self.file, line, import_id):
                ready = list(records())
        except ImportFileError as error:
            yield from self.refuse(error, import_id)
            return
        yield from ready

    def has(self, import_id: str) -> bool:
        """Whether a post or comment with this id was already released."""
        return import_id in self.posts or import_id in self.comment_post

    def refuse(self, error: ImportFileError, import_id: str = "") -> Iterator[Record]:
        """An entry that cannot be imported: refused (strict), else listed and skipped,
        with the comments that answer it."""
        if not error.file:
            where = {"file": self.file, "line": error.line, "entry": error.entry}
            error = ImportFileError(error.reason, **where)
        self.problems.skip(error)
        yield from self.skip(import_id, PROBLEM)

    def skip(self, import_id: str, reason: str) -> Iterator[Record]:
        """Note a skipped post or comment; comments waiting on it are skipped too."""
        self.skipped[reason] += 1
        if import_id:
            self.skipped_ids.add(import_id)
            for item in self.waiting.pop(import_id, []):
                yield from self._place(item)

    def add_post(self, record: PostRecord, line: int | None, alias: str = "") -> Iterator[Record]:
        """Yield the post, then any comments that were waiting for it (by its id, or by
        `alias`: a name a takeout-style reference may use for it, unless a post has it)."""
        record = scrub(record)
        if self._duplicate(record.import_id, line):
            return
        self.posts.add(record.import_id)
        yield record
        yield from self._release(record.import_id)
        if alias and alias not in self.posts:
            self.aliases[alias] = record.import_id
            yield from self._release(alias)

    def add_comment(
        self, record: CommentRecord, line: int | None, reply_to: str = ""
    ) -> Iterator[Record]:
        """Yield the comment now if what it answers is out, else hold it back."""
        record = scrub(record)
        if self._duplicate(record.import_id, line):
            return
        yield from self._place(_Waiting(record, line, reply_to))

    def _place(self, item: _Waiting) -> Iterator[Record]:
        rec, ref = item.record, item.reply_to
        if ref and ref not in self.posts:
            ref = self.aliases.get(ref, ref)
        elif not ref and rec.post_import_id not in self.posts:
            post = self.aliases.get(rec.post_import_id, rec.post_import_id)
            rec = dataclasses.replace(rec, post_import_id=post)
        if ref:
            if ref in self.posts:  # the parent comment, if any, is `parent_import_id`
                rec = dataclasses.replace(rec, post_import_id=ref)
            elif ref in self.comment_post:
                rec = dataclasses.replace(
                    rec, post_import_id=self.comment_post[ref], parent_import_id=ref
                )
                yield from self._emit(rec)
                return
            elif ref in self.skipped_ids:
                yield from self.skip(rec.import_id, ON_SKIPPED)
                return
            else:
                self.waiting[ref].append(item)
                return
        if rec.post_import_id not in self.posts:
            if rec.post_import_id in self.skipped_ids:
                yield from self.skip(rec.import_id, ON_SKIPPED)
            else:
                self.waiting[rec.post_import_id].append(item)
            return
        if rec.parent_import_id and rec.parent_import_id not in self.comment_post:
            if rec.parent_import_id not in self.skipped_ids:
                self.waiting[rec.parent_import_id].append(item)
                return
            rec = dataclasses.replace(rec, parent_import_id="")
            self.skipped["reply to a skipped comment kept as top-level"] += 1
        yield from self._emit(rec)

    def _emit(self, rec: CommentRecord) -> Iterator[Record]:
        self.comment_post[rec.import_id] = rec.post_import_id
        yield rec
        yield from self._release(rec.import_id)

    def _release(self, import_id: str) -> Iterator[Record]:
        for item in self.waiting.pop(import_id, []):
            yield from self._place(item)

    def finish(self) -> Iterator[Record]:
        """Place replies whose parent never came; refuse comments whose post never came."""
        while self.waiting:
            key = next(iter(self.waiting))
            items = self.waiting.pop(key)
            for item in items:
                rec = item.record
                target = item.reply_to or rec.post_import_id
                if self.aliases.get(target, target) not in self.posts:
                    error = ImportFileError(
                        f"comment answers {target!r}, which is not in the file",
                        file=self.file,
                        line=item.line,
                        entry=rec.import_id,
                    )
                    yield from self.refuse(error, rec.import_id)
                    continue
                self.skipped["reply to a missing comment kept as top-level"] += 1
                post = self.aliases.get(target, target)
                yield from self._emit(
                    dataclasses.replace(rec, post_import_id=post, parent_import_id="")
                )
