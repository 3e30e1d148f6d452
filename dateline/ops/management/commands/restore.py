"""`dateline restore FILE [--force]`: a backup back into an empty site."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dateline.ops.archive import BackupError
from dateline.ops.restore import restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive from `dateline backup` into this data dir and database. "
        "Checks every checksum first; refuses a site that is not empty unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE", help="Archive from dateline backup.")
        parser.add_argument(
            "--force", action="store_true", help="Replace a site that already has content."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore_backup(options["file"], force=options["force"])
        except BackupError as error:
            raise CommandError(f"{error}. Nothing was restored.") from None
        counts = ", ".join(f"{n} {kind}" for kind, n in manifest.counts.items())
        self.stdout.write(f"Restored the backup of {manifest.created_at}: {counts}")
        if not manifest.includes_secret_key:
            self.stdout.write("The secret key was not in the backup: authors must log in again.")
