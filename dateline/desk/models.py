"""What the desk keeps beside a post: its revisions."""

from django.conf import settings
from django.db import models

from dateline.posts.models import Post


class Revision(models.Model):
    """A post's title and body as they were saved (or autosaved) at one moment.

    Recorded whenever a save changes the title or body, so the newest revision is the
    post as saved. An autosave of a published post is only a revision: readers keep the
    live post until the author saves. Consecutive autosaves by one author replace each
    other, so history is not flooded every ten seconds.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=300)
    body_source = models.TextField(blank=True)
    created_at = models.DateTimeField(db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    autosaved = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} at {self.created_at:%Y-%m-%d %H:%M}"

    def same_text(self, title: str, body_source: str) -> bool:
        return self.title == title and self.body_source == body_source
