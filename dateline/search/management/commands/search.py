"""`dateline search rebuild`: rebuild the search index from the posts."""

import time

from django.core.management.base import BaseCommand, CommandParser

from dateline.search import indexing


class Command(BaseCommand):
    help = "Search index maintenance: `search rebuild` re-indexes every published post."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild"], help="rebuild: index every post anew")

    def handle(self, *args, action: str, **options) -> None:
        started = time.perf_counter()
        count = indexing.rebuild()
        seconds = time.perf_counter() - started
        self.stdout.write(f"Indexed {count} post{'s' if count != 1 else ''} in {seconds:.1f} s.")
