"""`dateline import FILE [--dry-run] [--json]`: move a Blogger, WordPress or Markdown blog in."""

import json
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dateline.interchange.errors import ImportFileError
from dateline.interchange.services import ImportSummary, import_records, open_records

COUNT_LABELS = ("posts", "drafts", "pages", "labels", "comments", "redirects", "skipped")


class Command(BaseCommand):
    help = (
        "Import a Blogger export (legacy .xml or Takeout feed.atom), a WordPress WXR file, "
        "or Markdown files with front matter (a .md file or a folder). All or nothing; "
        "re-running the same file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE", help="Export file or folder.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and check everything, store nothing."
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the summary as one JSON object."
        )

    def handle(self, *args, **options) -> None:
        skipped: Counter[str] = Counter()
        try:
            records = open_records(options["file"], skipped=skipped)
            summary = import_records(
                records,
                dry_run=options["dry_run"],
                reader_skipped=skipped,
                progress=self._progress,
            )
        except ImportFileError as error:
            raise CommandError(f"{error}\nNothing was changed.") from None
        self._clear_progress()
        if options["json"]:
            self.stdout.write(json.dumps(summary.counts()))
            self._reasons(summary, self.stderr)
        else:
            self._report(summary)

    def _progress(self, summary: ImportSummary) -> None:
        line = f"  read {summary.posts + summary.drafts + summary.pages} posts and pages, "
        line += f"{summary.comments} comments…"
        ending = "\r" if self.stderr.isatty() else "\n"
        self.stderr.write(line, ending=ending)
        self.stderr.flush()

    def _clear_progress(self) -> None:
        if self.stderr.isatty():
            self.stderr.write(" " * 60, ending="\r")

    def _reasons(self, summary: ImportSummary, out) -> None:
        for title, counter in (("Skipped", summary.skipped), ("Notes", summary.notes)):
            for reason, count in sorted(counter.items()):
                out.write(f"  {title.lower()}: {count} {reason}")

    def _report(self, summary: ImportSummary) -> None:
        counts = summary.counts()
        verb = "Would import" if summary.dry_run else "Imported"
        self.stdout.write(f"{verb}: " + ", ".join(f"{counts[k]} {k}" for k in COUNT_LABELS))
        changes = ", ".join(f"{n} {what}" for what, n in sorted(summary.changes.items()) if n)
        self.stdout.write(f"Changes: {changes or 'none (everything was already stored)'}")
        if summary.site and (summary.site.title or summary.site.description):
            self.stdout.write(
                f"Blog title in the file: {summary.site.title!r} (set DATELINE_SITE_TITLE and "
                "DATELINE_SITE_DESCRIPTION to use it; settings are not imported)"
            )
        self._reasons(summary, self.stdout)
        if summary.dry_run:
            self.stdout.write("Dry run: nothing was stored.")
