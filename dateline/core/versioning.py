"""Read and bump the content version (see core.models.ContentVersion)."""

from django.db.models import F
from django.utils import timezone

from dateline.core.models import ContentVersion

_ROW = 1


def current_version() -> str:
    """A token naming the content readers see now: the counter and the time it moved.

    The time makes the token unique even when a counter value comes back (a restored
    backup, a rolled-back test), so a cache never serves what another state built.
    """
    row = ContentVersion.objects.filter(pk=_ROW).values_list("version", "changed_at").first()
    if row is None:
        return "0"
    version, changed_at = row
    return f"{version}-{changed_at.timestamp():.6f}"


def bump_version() -> None:
    """Called by signals inside the writing transaction, so it commits with the change."""
    updated = ContentVersion.objects.filter(pk=_ROW).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    if not updated:
        ContentVersion.objects.get_or_create(pk=_ROW, defaults={"version": 1})
