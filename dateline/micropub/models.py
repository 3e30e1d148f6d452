"""Micropub's tokens (stored hashed, with scopes) and the deletions it can undo."""

from django.conf import settings
from django.db import models

SCOPES = ("create", "update", "delete", "media", "draft")


class Token(models.Model):
    """An author's token for a Micropub client. Only its SHA-256 is kept: the token is
    shown once, when made, and a copy of the database lets no one post."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="micropub_tokens")  # fmt: skip
    name = models.CharField(max_length=100, help_text="Which client or script uses it.")
    scopes = models.CharField(max_length=100, help_text="Space-separated: " + " ".join(SCOPES))
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.scopes})"

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())


class Deletion(models.Model):
    """A post Micropub deleted: hidden from readers (a draft), and restorable as it was."""

    post = models.OneToOneField("posts.Post", on_delete=models.CASCADE, related_name="+")
    status_before = models.CharField(max_length=10)
    deleted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"post {self.post_id}, deleted"
