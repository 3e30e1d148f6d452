"""What an import found and stored: the one record every import writer adds to, so the
writers (import_posts, import_comments, ...) and the driver (importing) each import it
from here instead of from one another."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .errors import SkippedEntry
from .records import SiteRecord


@dataclass
class ImportSummary:
    """What the file holds and the run stored (on a re-run: what it found stored).

    `posts` counts published and scheduled posts, `drafts` draft posts, `pages`
    static pages of any status. `changes` says what was actually written. `problems`
    lists each entry skipped because it could not be read (file, line, entry, reason);
    they are counted in `skipped` too.
    """

    posts: int = 0
    drafts: int = 0
    pages: int = 0
    labels: int = 0
    comments: int = 0
    redirects: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)
    changes: Counter[str] = field(default_factory=Counter)
    problems: list[SkippedEntry] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # per post: what was made safe or dropped
    site: SiteRecord | None = None
    dry_run: bool = False

    def counts(self) -> dict[str, int]:
        """The seven counts `dateline import --json` prints, skipped as one total."""
        return {
            "posts": self.posts,
            "drafts": self.drafts,
            "pages": self.pages,
            "labels": self.labels,
            "comments": self.comments,
            "redirects": self.redirects,
            "skipped": sum(self.skipped.values()),
        }
