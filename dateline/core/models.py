"""The content version: one number that changes whenever anything readers see changes.

Derived data (the sidebar today, page caches later) is keyed by it, so every process,
on one machine or many, stops using stale copies as soon as a change commits.
"""

from django.db import models


class ContentVersion(models.Model):
    """A single row; `version` grows by one on every post, label or comment change."""

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"content version {self.version}"
