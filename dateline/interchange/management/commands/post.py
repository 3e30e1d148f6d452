"""`dateline post add FILE.md…`: add or update posts from Markdown files with front matter."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from dateline.interchange.importing import import_records
from dateline.interchange.local_files import LocalFiles
from dateline.interchange.markdown import MarkdownFileError, read_markdown_post
from dateline.posts.models import Post


class Command(BaseCommand):
    help = "Work with posts. `post add FILE.md…` adds or updates posts from Markdown files."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="Add or update posts from Markdown files.")
        add.add_argument("files", nargs="+", type=Path, metavar="FILE.md")

    def handle(self, *args, **options) -> None:
        try:
            records = [read_markdown_post(path) for path in options["files"]]
        except MarkdownFileError as error:
            raise CommandError(f"{error}\nNothing was stored.") from None
        # The one writer imports use: one transaction, keyed by each file's import id.
        import_records(records, local_files=LocalFiles.of(*options["files"]))
        posts = Post.objects.in_bulk(
            [record.import_id for record in records], field_name="import_ref"
        )
        for record in records:
            post = posts[record.import_id]
            self.stdout.write(post.path or f"(draft) {reverse('desk:post-edit', args=[post.pk])}")
