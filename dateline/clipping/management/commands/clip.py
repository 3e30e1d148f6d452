"""`dateline clip URL|FILE.html [--url URL] [--publish] [--label L…]`: clip a story now.

Runs in the foreground (no worker needed) and prints the new post's path, or,
for a draft, the desk's editor page where it can be finished. A failure stores nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from dateline.clipping.drafts import confirm
from dateline.clipping.errors import ClipError, html_too_large
from dateline.clipping.services import ClipOptions, ClipResult, clip_html, clip_url


class Command(BaseCommand):
    help = (
        "Clip a story into a draft post with its source, snapshot and images. "
        "TARGET is a web address, or a saved HTML file together with --url."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", metavar="URL|FILE.html")
        parser.add_argument("--url", help="The story's address, when TARGET is a file.")
        parser.add_argument("--publish", action="store_true", help="Publish at once.")
        parser.add_argument(
            "--label", action="append", default=[], metavar="L", help="Add a label (repeatable)."
        )
        parser.add_argument(
            "--excerpt", action="store_true", help="Post an excerpt with a link, not the full text."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = self._clip(options)
        for earlier in result.earlier:
            self.stderr.write(
                f"Note: this story was clipped before as {earlier.get_absolute_url()!r}."
            )
        post = confirm(result.post, tuple(options["label"]), publish=options["publish"])
        self.stdout.write(post.path or f"(draft) {reverse('desk:post-edit', args=[post.pk])}")

    def _clip(self, options: dict[str, Any]) -> ClipResult:
        target: str = options["target"]
        clip_options = ClipOptions(as_excerpt=options["excerpt"])
        path = Path(target)
        try:
            if "://" not in target and path.is_file():
                if not options["url"]:
                    raise CommandError("Give the story's address with --url when clipping a file.")
                size = path.stat().st_size  # refused before reading a huge file into memory
                if size > settings.DATELINE_CLIP_MAX_HTML_BYTES:
                    raise html_too_large(size, settings.DATELINE_CLIP_MAX_HTML_BYTES)
                return clip_html(path.read_bytes(), options["url"], clip_options)
            if options["url"]:
                raise CommandError("--url goes with a saved HTML file, not with an address.")
            if "://" not in target:
                raise CommandError(f"{target}: no such file, and not a web address.")
            return clip_url(target, clip_options)
        except ClipError as error:
            raise CommandError(f"{error.message} Nothing was stored.") from None
