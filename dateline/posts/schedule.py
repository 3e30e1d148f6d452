"""Scheduled posts in the content version: a post whose time comes changes what readers
see with no write at all, so the version (core.versioning) reads these two times."""

from datetime import datetime

from django.db.models import Subquery

from dateline.core.versioning import Schedule
from dateline.posts.models import Post


def visibility_horizon(now: datetime) -> Subquery:
    """The newest publish time that has come."""
    return Subquery(Post.objects.visible(now).order_by("-published_at").values("published_at")[:1])


def next_due(now: datetime) -> Subquery:
    """The next scheduled post's time."""
    return Subquery(
        Post.objects.filter(status=Post.Status.PUBLISHED, published_at__gt=now)
        .order_by("published_at")
        .values("published_at")[:1]
    )


POSTS_SCHEDULE = Schedule(horizon=visibility_horizon, next_due=next_due)
