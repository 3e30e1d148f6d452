"""`dateline worker`: run queued background tasks (clips, snapshots, imports, retraining)."""

import logging

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from dateline.ops.sweep import sweep

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run background tasks from the database queue until stopped (or once with --batch)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")

    def handle(self, *args, **options) -> None:
        self._sweep_orphans()
        self._schedule_source_checks()
        call_command(
            "db_worker",
            queue_name="*",
            batch=options["batch"],
            interval=options["interval"],
            reload=False,
            verbosity=options["verbosity"],
        )

    def _schedule_source_checks(self) -> None:
        """Source link checks queue themselves again each hour; the first is queued here."""
        from dateline.sources.tasks import ensure_scheduled

        try:
            ensure_scheduled()
        except Exception:  # a failed schedule must not stop the queue
            logger.exception("Scheduling source checks failed")

    def _sweep_orphans(self) -> None:
        """A worker killed mid-clip leaves files no row names; they go a day later, here."""
        try:
            report = sweep()
        except Exception:  # a failed sweep must not stop the queue
            logger.exception("Media sweep at worker start failed")
            return
        if report.removed:
            logger.info("Media sweep: removed %d orphaned files", len(report.removed))
