"""What a clip leaves behind: the snapshot of the page, and the job that made it.

The snapshot's bytes live in a content-addressed file (see `snapshot.py`); the
row records where, and keeps the readable archived copy shown at /sources/ID/.
A ClipJob is the state a background clip reports to the page that waits on it,
and what a failed clip is retried from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from dateline.posts.models import Post, Source


class Snapshot(models.Model):
    """The page as fetched (compressed, deduplicated by hash) and its readable copy."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="snapshots")
    sha256 = models.CharField(max_length=64, db_index=True)
    path = models.CharField(
        max_length=200, help_text="The compressed file, relative to the snapshot directory."
    )
    size = models.PositiveIntegerField(help_text="Bytes before compression.")
    content_type = models.CharField(max_length=100, default="text/html")
    url = models.URLField("fetched URL", max_length=2000)
    fetched_at = models.DateTimeField(default=timezone.now)
    title = models.CharField(max_length=500, blank=True)
    article_html = models.TextField(
        blank=True, help_text="The extracted article, sanitized, with images on our media."
    )

    class Meta:
        ordering = ["-fetched_at", "-id"]
        get_latest_by = ["fetched_at", "id"]

    def __str__(self) -> str:
        return f"{self.url} at {self.fetched_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return f"/sources/{self.source_id}/"


class ClipJob(models.Model):
    """One request to clip a page, as the author's progress page sees it."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        FETCHING = "fetching", "Fetching the page"
        EXTRACTING = "extracting", "Finding the article"
        SAVING = "saving", "Saving images and the snapshot"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    FINISHED = frozenset({State.DONE, State.FAILED})

    url = models.URLField(max_length=2000)
    html = models.TextField(blank=True, help_text="Pasted HTML; empty when we fetch the URL.")
    title_hint = models.CharField(max_length=500, blank=True)
    selection = models.TextField(blank=True, help_text="Text the author selected on the page.")
    as_excerpt = models.BooleanField(default=False)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    body_html = models.TextField(blank=True, help_text="The full extracted text, kept for edits.")
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="clip_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Clip of {self.url} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return f"/clip/jobs/{self.pk}/"

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED
