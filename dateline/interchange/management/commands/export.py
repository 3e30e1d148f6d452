"""`dateline export --format blogger|wxr|markdown FILE|DIR`: everything out, nobody locked in."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dateline.interchange.services import FORMATS, export_to
from dateline.siteexport import cli as site_cli


class Command(BaseCommand):
    help = (
        "Export every post, page, draft, label and comment: a Blogger export (approved "
        "comments only), a WordPress WXR file, or a folder of Markdown files (posts only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, choices=(*FORMATS, "site"))
        parser.add_argument("target", type=Path, metavar="FILE|DIR")
        parser.add_argument(
            "--base-url",
            default="",
            help="The blog's address, e.g. https://blog.example, used in links.",
        )
        site_cli.add_arguments(parser)  # --format site: the static mirror

    def handle(self, *args, **options) -> None:
        if options["format"] == "site":
            return site_cli.handle(self, options)
        target: Path = options["target"]
        try:
            counts = export_to(options["format"], target, base_url=options["base_url"])
        except (FileExistsError, OSError) as error:
            raise CommandError(f"{target}: {error}") from None
        written = ", ".join(f"{counts[k]} {k}" for k in ("posts", "pages", "comments"))
        self.stdout.write(f"Wrote {target}: {written}")
        for reason, count in sorted(counts.items()):
            if reason.startswith("skipped"):
                self.stdout.write(f"  {reason}: {count}")
