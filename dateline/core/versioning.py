"""Read and bump the content version (see core.models.ContentVersion)."""

from datetime import datetime

from django.db.models import F, Subquery
from django.utils import timezone

from dateline.core.models import ContentVersion

_ROW = 1


def _visibility_horizon() -> Subquery:
    """The newest publish time that has come: it moves, with no write at all, when a
    scheduled post's time arrives, so it is part of the version."""
    from dateline.posts.models import Post

    return Subquery(
        Post.objects.filter(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())
        .order_by("-published_at")
        .values("published_at")[:1]
    )


def current_version_and_time() -> tuple[str, datetime | None]:
    """The version token and when content last changed (for Last-Modified), in one query."""
    row = (
        ContentVersion.objects.filter(pk=_ROW)
        .annotate(horizon=_visibility_horizon())
        .values_list("version", "changed_at", "horizon")
        .first()
    )
    if row is None:
        return "0", None
    version, changed_at, horizon = row
    last_change = max(filter(None, (changed_at, horizon)))
    horizon_stamp = horizon.timestamp() if horizon else 0
    return f"{version}-{changed_at.timestamp():.6f}-{horizon_stamp:.6f}", last_change


def current_version() -> str:
    """A token naming the content readers see now: the counter and the time it moved.

    The time makes the token unique even when a counter value comes back (a restored
    backup, a rolled-back test), so a cache never serves what another state built.
    """
    return current_version_and_time()[0]


def bump_version() -> None:
    """Called by signals inside the writing transaction, so it commits with the change."""
    updated = ContentVersion.objects.filter(pk=_ROW).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    if not updated:
        ContentVersion.objects.get_or_create(pk=_ROW, defaults={"version": 1})
