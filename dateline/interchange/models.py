"""An import started from the admin: the uploaded file, its state, and what it stored.

The import itself runs in a background task inside one transaction, so the
counts it reaches while running cannot live in this row (nobody could see them
before the commit): they are kept in a small file beside the upload (see
`progress.py`). This row holds what outlives the run: state, summary, error.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models


def imports_dir() -> Path:
    """Where uploads and progress files live: `DATA_DIR/imports/` (read at call time)."""
    return Path(settings.DATA_DIR) / "imports"


class ImportJob(models.Model):
    """One uploaded export, imported (or checked, on a dry run) by a background task."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Importing"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    FINISHED = frozenset({State.DONE, State.FAILED})

    file_name = models.CharField(max_length=255, help_text="The name the file was uploaded as.")
    stored_name = models.CharField(
        max_length=300, blank=True, help_text="The upload, relative to DATA_DIR/imports/."
    )
    size = models.PositiveBigIntegerField(default=0)
    dry_run = models.BooleanField(default=False)
    fetch_images = models.BooleanField(default=False)
    strict = models.BooleanField(default=False, help_text="Refuse the file if any entry is bad.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "import"
        verbose_name_plural = "imports"

    def __str__(self) -> str:
        dry = " (dry run)" if self.dry_run else ""
        return f"Import of {self.file_name}{dry}: {self.get_state_display()}"

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED

    @property
    def upload_path(self) -> Path | None:
        return imports_dir() / self.stored_name if self.stored_name else None
