"""`dateline import FILE [--dry-run] [--json] [--fetch-images] [--strict]`: move a Blogger,
WordPress or Markdown blog in."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dateline.interchange.errors import ImportFileError
from dateline.interchange.services import ImportSummary, import_file

COUNT_LABELS = ("posts", "drafts", "pages", "labels", "comments", "redirects", "skipped")


class Command(BaseCommand):
    help = (
        "Import a Blogger export (legacy .xml or Takeout feed.atom), a WordPress WXR file, "
        "or Markdown files with front matter (a .md file or a folder), in one transaction. "
        "An entry that cannot be read is left out and listed (--strict: refuse the file); "
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
        parser.add_argument(
            "--strict",
            action="store_true",
            help="All or nothing: refuse the whole file if any entry cannot be read, instead "
            "of importing the rest and listing it.",
        )
        parser.add_argument(
            "--fetch-images",
            action="store_true",
            help="Download images hosted on other sites (in post bodies and lead images) into "
            "media, through the safe fetcher, and point the posts at the copies. Failures are "
            "counted in the notes and never stop the import.",
        )

    def handle(self, *args, **options) -> None:
        try:
            summary = import_file(
                options["file"],
                dry_run=options["dry_run"],
                fetch_images=options["fetch_images"],
                progress=self._progress,
                image_progress=self._image_progress,
                strict=options["strict"],
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

    def _image_progress(self, done: int, total: int) -> None:
        if done == total or done % 10 == 0:
            ending = "\r" if self.stderr.isatty() else "\n"
            self.stderr.write(f"  images: {done} of {total} fetched…", ending=ending)
            self.stderr.flush()

    def _clear_progress(self) -> None:
        if self.stderr.isatty():
            self.stderr.write(" " * 60, ending="\r")

    def _reasons(self, summary: ImportSummary, out) -> None:
        for title, counter in (("Skipped", summary.skipped), ("Notes", summary.notes)):
            for reason, count in sorted(counter.items()):
                out.write(f"  {title.lower()}: {count} {reason}")
        for problem in summary.problems:
            out.write(f"  left out: {problem}")
        for post in summary.changed:
            out.write(f"  changed: {post}")

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
        if summary.site and summary.site.time_zone:
            self.stdout.write(
                f"Blog time zone in the file: {summary.site.time_zone!r} (set "
                f"DATELINE_TIME_ZONE={summary.site.time_zone} to show dates in it)"
            )
        self._reasons(summary, self.stdout)
        if summary.dry_run:
            self.stdout.write("Dry run: nothing was stored.")
