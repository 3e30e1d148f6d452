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
    help = (
        "Create a small demo blog if it is empty: three posts with labels, an approved "
        "comment, one waiting for moderation and a draft, so the desk has work to show."
    )

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
            trams = next(post for post in posts if "tram" in post.title.lower())
            Comment.objects.create(
                post=trams,
                author_name="Night-shift nurse",
                body="Will the trams run on public holidays too? The timetable does not say.",
                created_at=timezone.now(),
                status=Comment.Status.PENDING,
            )
            Post.objects.create(
                title="Draft: what the wind farm vote means for the ports",
                body_source="Notes so far: the council votes in March; two ports bid.",
            )
        self.stdout.write(f"Demo blog created: {len(posts)} posts.")
