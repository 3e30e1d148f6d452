"""Readers' comments: plain text in, sanitized links out, moderated before they show."""

from django.db import models
from django.db.models import QuerySet

from dateline.comments.rendering import render_comment
from dateline.core.links import linkable_url
from dateline.core.text import clean_name, clean_text


class CommentQuerySet(models.QuerySet):
    def approved(self) -> QuerySet:
        return self.filter(status=Comment.Status.APPROVED)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author_name = models.CharField(max_length=100)
    author_email = models.EmailField(blank=True, help_text="Never shown.")
    author_url = models.URLField(max_length=500, blank=True)
    body = models.TextField()
    body_html = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    by_author = models.BooleanField(
        default=False,
        db_default=False,  # bulk imports insert rows without naming this column
        help_text="Written by one of the blog's authors while logged in.",
    )
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    import_ref = models.CharField(max_length=500, unique=True, null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        # Per-post counts and threads; without it SQLite scans every approved comment.
        indexes = [models.Index(fields=["post", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.author_name} on {self.post}"

    def save(self, *args, **kwargs) -> None:
        self.author_name = clean_name(self.author_name)
        self.author_url = linkable_url(self.author_url)
        self.body = clean_text(self.body).strip()
        self.body_html = render_comment(self.body)
        super().save(*args, **kwargs)
