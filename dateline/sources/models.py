"""What link checking knows about each source: its state now, and its recent checks.

The state is mirrored into `Source.last_check_result` (and the time into
`last_checked_at`), which pages and the desk read without a join.
"""

from __future__ import annotations

from django.db import models

from dateline.posts.models import Source
from dateline.sources.states import State

STATE_CHOICES = [(state.value, state.value.capitalize()) for state in State]
HISTORY = 12  # checks kept per source


class SourceHealth(models.Model):
    """One source's standing: state, streaks, where it moved and its archived copy."""

    source = models.OneToOneField(
        Source, on_delete=models.CASCADE, primary_key=True, related_name="health"
    )
    state = models.CharField(max_length=12, choices=STATE_CHOICES, blank=True)
    failures = models.PositiveSmallIntegerField(default=0, help_text="Failed checks in a row.")
    gone_streak = models.PositiveSmallIntegerField(
        default=0, help_text="Checks in a row that found the page gone."
    )
    moved_to = models.URLField(max_length=2000, blank=True)
    archive_url = models.URLField(
        max_length=2000, blank=True, help_text="The Internet Archive's closest copy, if any."
    )
    archive_looked_up_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.source_id}: {self.state or 'unchecked'}"


class SourceCheck(models.Model):
    """One check of one source, as the author's Sources page shows its history."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="checks")
    checked_at = models.DateTimeField()
    outcome = models.CharField(max_length=12)
    state = models.CharField(max_length=12, choices=STATE_CHOICES)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["source", "-checked_at"])]

    def __str__(self) -> str:
        return f"{self.source_id} at {self.checked_at:%Y-%m-%d %H:%M}: {self.outcome}"


class SourceHost(models.Model):
    """Per host: when it may next be asked (politeness), its robots.txt, and what it
    answers for a path that cannot exist (to recognise a soft 404)."""

    host = models.CharField(max_length=300, primary_key=True)
    not_before = models.DateTimeField(null=True, blank=True)
    robots_txt = models.TextField(blank=True)
    robots_fetched_at = models.DateTimeField(null=True, blank=True)
    probe_status = models.PositiveSmallIntegerField(null=True, blank=True)
    probe_url = models.URLField(max_length=2000, blank=True)
    probe_text = models.TextField(blank=True)
    probed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.host
