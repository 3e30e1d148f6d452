"""The blog's settings as one database row; an empty field means "the environment's value"."""

from django.db import models


class CommentPolicy(models.TextChoices):
    MODERATE_ALL = "all", "Hold every comment for moderation"
    FIRST_TIME = "first", "Hold only first-time commenters"
    NONE = "none", "Publish every comment at once"


class BlogSettings(models.Model):
    """A single row (pk 1). Blank fields fall back to the environment (settings/base.py),
    so a blog that never opened the settings page keeps behaving as configured."""

    title = models.CharField(max_length=200, blank=True)
    description = models.CharField(max_length=500, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)
    language = models.CharField(max_length=16, blank=True)
    comment_policy = models.CharField(max_length=8, blank=True, choices=CommentPolicy.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "blog settings"

    def __str__(self) -> str:
        return "blog settings"

    def save(self, *args, **kwargs) -> None:
        self.pk = 1  # one row, whoever saves it
        super().save(*args, **kwargs)
