"""`dateline media sweep [--dry-run] [--older-than MINUTES]`: remove orphaned files."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dateline.ops.sweep import DEFAULT_GRACE, sweep


class Command(BaseCommand):
    help = (
        "Media maintenance: `media sweep` removes files in media/images and snapshots that "
        "no post, snapshot or other row names, once they are older than a grace period "
        "(left behind by a clip or import that was killed mid-way)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["sweep"], help="sweep: remove orphaned files")
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be removed; remove nothing."
        )
        parser.add_argument(
            "--older-than",
            type=int,
            default=int(DEFAULT_GRACE.total_seconds() // 60),
            metavar="MINUTES",
            help="Only files untouched for this long (default: %(default)s, a day), so a "
            "clip or import in progress keeps its files.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["older_than"] < 0:
            raise CommandError("--older-than must be 0 or more minutes.")
        report = sweep(timedelta(minutes=options["older_than"]), dry_run=options["dry_run"])
        for path in report.removed:
            self.stdout.write(f"{'would remove' if options['dry_run'] else 'removed'} {path}")
        verb = "Would remove" if options["dry_run"] else "Removed"
        self.stdout.write(
            f"{verb} {len(report.removed)} orphaned file{'s' if len(report.removed) != 1 else ''}"
            f" ({report.removed_bytes} bytes); kept {report.referenced} referenced and "
            f"{report.kept_fresh} too recent to judge."
        )
