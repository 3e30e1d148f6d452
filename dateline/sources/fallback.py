"""Where a post's Source line links: the original while it answers; once it is dead, our
own snapshot, else the Internet Archive's copy closest to the post's date, else the
Archive's dated redirect. The stored body is never rewritten: only this link changes,
and it changes back when the source answers again.

Reads only the Source row pages already load (`last_check_result`, `fetched_at`), plus,
for a dead source without a snapshot, one query per content version for every known
archive address.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dateline.core.memo import per_version
from dateline.sources import wayback
from dateline.sources.states import State

if TYPE_CHECKING:
    from dateline.posts.models import Post, Source


def is_dead(source: Source) -> bool:
    return source.last_check_result == State.DEAD


def link_for(source: Source, post: Post | None = None) -> str:
    """The address the Source line links to ("" when there is none safe to link)."""
    original = source.link_url
    if not is_dead(source):
        return original
    if source.fetched_at is not None:  # a clipped source: its snapshot is ours
        return f"/sources/{source.pk}/"
    archived = archive_urls().get(source.pk)
    if archived:
        return archived
    if not original:
        return ""
    when = post.published_at if post is not None and post.published_at else None
    return wayback.dated_link(original, when or source.original_date)


def link_key(source: Source) -> tuple:
    """What link_for depends on besides the post's date (for memo keys and fingerprints)."""
    dead = is_dead(source)
    return (dead, archive_urls().get(source.pk, "") if dead else "")


@per_version
def archive_urls() -> dict[int, str]:
    """Every dead source's archive address, read once per content version."""
    from dateline.sources.models import SourceHealth

    found = SourceHealth.objects.filter(state=State.DEAD).exclude(archive_url="")
    return dict(found.values_list("source_id", "archive_url"))
