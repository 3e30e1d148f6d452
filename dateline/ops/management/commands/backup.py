"""`dateline backup FILE [--include-secret-key]`: a consistent copy of the whole site."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dateline.ops.archive import BackupError
from dateline.ops.backup import create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (a consistent online copy), media and snapshots into one "
        "tar.gz with a manifest of checksums. Safe while the server runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE", help="Archive to write (.tar.gz).")
        parser.add_argument(
            "--include-secret-key",
            action="store_true",
            help="Also store the data dir's secret_key (keeps sessions valid after a restore).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = create_backup(
                options["file"], include_secret_key=options["include_secret_key"]
            )
        except BackupError as error:
            raise CommandError(f"{error}. No archive was written.") from None
        counts = ", ".join(f"{n} {kind}" for kind, n in manifest.counts.items())
        self.stdout.write(
            f"Backed up {manifest.vendor}: {counts}; {len(manifest.members)} files "
            f"in {options['file']}"
        )
