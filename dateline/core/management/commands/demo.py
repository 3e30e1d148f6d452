"""`dateline demo`: a few posts in the seed's shape, so a first run shows a real blog."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from dateline.comments.models import Comment
from dateline.interchange.importing import import_records
from dateline.interchange.local_files import LocalFiles
from dateline.interchange.markdown import read_markdown_post
from dateline.posts.models import Post

DEMO_DIR = Path(__file__).resolve().parents[3] / "demo"


class Command(BaseCommand):
    help = "Create a small demo blog (three posts, labels, an approved comment) if it is empty."

    def handle(self, *args, **options) -> None:
        if Post.objects.exists():
            self.stdout.write("The blog already has posts; demo content was not added.")
            return
        records = [read_markdown_post(path) for path in sorted(DEMO_DIR.glob("*.md"))]
        with transaction.atomic():
            import_records(records, local_files=LocalFiles.of(DEMO_DIR))
            posts = list(Post.objects.filter(import_ref__in=[r.import_id for r in records]))
            barges = next(post for post in posts if "Rhine" in post.title)
            Comment.objects.create(
                post=barges,
                author_name="A reader in Mainz",
                body="The ferry here stopped on Tuesday too. Thanks for keeping track of this.",
                created_at=timezone.now(),
                status=Comment.Status.APPROVED,
            )
        self.stdout.write(f"Demo blog created: {len(posts)} posts.")
