"""`dateline sources check [--all] [--json]`: check cited sources now, in the foreground.

Without --all only the sources that are due are checked (as the background task
does); --all checks every source regardless of schedule. --json prints one object per
checked source: id, url, state, failures, checked_at, archive_url.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dateline.sources import checking


class Command(BaseCommand):
    help = "Check that the sources posts cite still answer: sources check [--all] [--json]."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="check")
        check = actions.add_parser("check", help="Check the sources that are due now.")
        check.add_argument(
            "--all", action="store_true", help="Check every source now, regardless of schedule."
        )
        check.add_argument("--json", action="store_true", help="Print the results as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        sources = checking.due(everything=options["all"])
        results = checking.check_many(sources)
        if options["json"]:
            rows = [_row(result) for result in results]
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        for result in results:
            health = result.health
            self.stdout.write(
                f"{result.source.pk:>6}  {health.state:<11}  {result.source.url}"
                f"  ({result.finding.detail})"
            )
        counts: dict[str, int] = {}
        for result in results:
            counts[result.health.state] = counts.get(result.health.state, 0) + 1
        summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items()))
        self.stdout.write(f"Checked {len(results)} source(s){': ' + summary if summary else ''}.")


def _row(result: checking.Checked) -> dict[str, Any]:
    health = result.health
    return {
        "id": result.source.pk,
        "url": result.source.url,
        "state": health.state,
        "failures": health.failures,
        "checked_at": health.checked_at.isoformat() if health.checked_at else None,
        "archive_url": health.archive_url or None,
    }
