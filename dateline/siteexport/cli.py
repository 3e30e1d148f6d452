"""`dateline export --format site DIR [--watch]`, called from the export command."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dateline.core.versioning import current_version
from dateline.siteexport.build import BuildReport, build_site
from dateline.siteexport.incremental import describe, update_site
from dateline.siteexport.render import RenderError


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--watch", action="store_true",
        help="With --format site: keep the mirror current, updating it after every change.",
    )  # fmt: skip
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1,
        help="With --format site: processes that render pages (default: one per core).",
    )  # fmt: skip
    parser.add_argument(
        "--interval", type=float, default=1.0,
        help="With --watch: seconds between checks of the content version.",
    )  # fmt: skip


def handle(command: BaseCommand, options: dict) -> None:
    target = Path(options["target"])
    base_url = options.get("base_url") or None
    # Pages name static files by their hashed names from the collected manifest: collect
    # first, as `dateline serve` does at each start (a fresh or upgraded install has none).
    call_command("collectstatic", interactive=False, verbosity=0)
    try:
        report = build_site(target, base_url, workers=options["workers"])
        command.stdout.write(f"Wrote {target}: {describe(report)}")
        _report_skipped(command, report)
        if options["watch"]:
            _watch(command, target, base_url, options["interval"], options["workers"])
    except (RenderError, OSError) as error:
        raise CommandError(f"{target}: {error}") from None


def _report_skipped(command: BaseCommand, report: BuildReport) -> None:
    """One line per page left out, on stderr, so a script sees the build was partial."""
    for url, reason in sorted(report.failed.items()):
        command.stderr.write(f"Skipped {url}: {reason}")


def _watch(command: BaseCommand, target: Path, base_url: str | None, interval: float,
           workers: int) -> None:  # fmt: skip
    """Poll the content version (one cheap query) and update when it moves."""
    seen = current_version()
    command.stdout.write(f"Watching for changes every {interval:g} s (Ctrl-C stops).")
    try:
        while True:
            time.sleep(interval)
            version = current_version()
            if version == seen:
                continue
            report = update_site(target, base_url, workers=workers)
            seen = version
            command.stdout.write(f"Updated {target}: {describe(report)}")
            _report_skipped(command, report)
    except KeyboardInterrupt:
        return
