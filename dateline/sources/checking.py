"""Check sources and keep what was found: the standing, the history, the Source's own
`last_checked_at`/`last_check_result`, and the Archive's copy once a source is dead.

A change readers can see (a source becoming dead, coming back, or its archived copy
found) saves the Source, which moves the content version, so pages, feeds and the
mirror show the new link; any other check writes with `update()` and moves nothing.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from dateline.clipping.fetch import FetchPolicy
from dateline.posts.models import Post, Source
from dateline.sources import wayback
from dateline.sources.models import HISTORY, SourceCheck, SourceHealth
from dateline.sources.politeness import Sleep, host_key
from dateline.sources.probe import Finding, check_policy, check_url
from dateline.sources.states import Outcome, Standing, State, advance

RECHECK_FAILING = timedelta(days=1)  # a failing source is looked at again sooner
ARCHIVE_RECHECK = timedelta(days=30)  # "the Archive has no copy" is asked again after this
JITTER = 0.15


@dataclass(frozen=True)
class Checked:
    source: Source
    health: SourceHealth
    finding: Finding


def check_source(
    source: Source,
    policy: FetchPolicy | None = None,
    sleep: Sleep = time.sleep,
) -> Checked:
    """Check one source now and record the result."""
    finding = check_url(source.url, policy or check_policy(), sleep)
    return Checked(source, record(source, finding, sleep=sleep), finding)


def record(
    source: Source, finding: Finding, now: datetime | None = None, sleep: Sleep = time.sleep
) -> SourceHealth:
    """Apply one check's finding to the source's standing and keep it in the history."""
    now = now or timezone.now()
    known = SourceHealth.objects.filter(pk=source.pk).first()
    before = Standing(known.state, known.failures, known.gone_streak) if known else Standing()
    standing = advance(before, finding.outcome)
    archive = _archive_lookup(source, known, now, sleep) if standing.state == State.DEAD else None
    with transaction.atomic():
        health, _ = SourceHealth.objects.select_for_update().get_or_create(source=source)
        shown_before = _shown(health)
        health.state, health.failures = standing.state, standing.failures
        health.gone_streak = standing.gone_streak
        if finding.outcome is Outcome.MOVED:
            health.moved_to = finding.final_url[:2000]
        elif finding.outcome is Outcome.OK:
            health.moved_to = ""
        if archive is not None:
            health.archive_url, health.archive_looked_up_at = archive[:2000], now
        health.checked_at = now
        health.next_check_at = next_check(now, standing.state)
        health.save()
        SourceCheck.objects.create(
            source=source, checked_at=now, outcome=finding.outcome.value, state=standing.state,
            http_status=finding.status, detail=finding.detail[:300],
            final_url=finding.final_url[:2000],
        )  # fmt: skip
        _prune(source)
        _update_source(source, now, standing.state, visible=_shown(health) != shown_before)
    return health


def _shown(health: SourceHealth) -> tuple:
    """What readers see of a standing: dead or not, and the archive address then."""
    dead = health.state == State.DEAD
    return (dead, health.archive_url if dead else "")


def _update_source(source: Source, now: datetime, state: str, *, visible: bool) -> None:
    source.last_checked_at, source.last_check_result = now, state
    if visible:  # post_save: the content version moves, the mirror rebuilds its posts
        source.save(update_fields=["last_checked_at", "last_check_result"])
    else:
        Source.objects.filter(pk=source.pk).update(last_checked_at=now, last_check_result=state)


def _prune(source: Source) -> None:
    old = SourceCheck.objects.filter(source=source).order_by("-checked_at", "-id")[HISTORY:]
    stale = list(old.values_list("id", flat=True))
    if stale:
        SourceCheck.objects.filter(id__in=stale).delete()


def _archive_lookup(
    source: Source, known: SourceHealth | None, now: datetime, sleep: Sleep
) -> str | None:
    """The Archive's closest copy, asked again only when the kept answer is old or none."""
    if source.fetched_at is not None:
        return None  # our own snapshot comes first: no need to ask
    asked = known.archive_looked_up_at if known is not None else None
    if asked is not None and (known.archive_url or now - asked < ARCHIVE_RECHECK):
        return None
    return wayback.closest_copy(source.url, citing_date(source), sleep)


def citing_date(source: Source) -> datetime | None:
    """The date the Archive's copy should be nearest: the first post citing the source."""
    first = Post.objects.filter(source=source).aggregate(first=Min("published_at"))["first"]
    return first or source.original_date


def next_check(now: datetime, state: str) -> datetime:
    """About DATELINE_SOURCE_CHECK_DAYS away (a day for a failing source), with jitter so
    sources clipped together are not all checked together."""
    failing = state in (State.SUSPECT, State.UNREACHABLE)
    base = RECHECK_FAILING if failing else timedelta(days=settings.DATELINE_SOURCE_CHECK_DAYS)
    return now + base * random.uniform(1 - JITTER, 1 + JITTER)  # noqa: S311 - not a secret


def due(now: datetime | None = None, everything: bool = False) -> list[Source]:
    """Sources to check now (never checked first), in host-interleaved order."""
    now = now or timezone.now()
    sources = Source.objects.exclude(url="").order_by("health__next_check_at", "id")
    if not everything:
        sources = sources.filter(Q(health__isnull=True) | Q(health__next_check_at__lte=now))
    return interleave(sources)


def interleave(sources: Iterable[Source]) -> list[Source]:
    """One source per host in turn, so the per-host interval rarely makes anyone wait."""
    by_host: defaultdict[str, list[Source]] = defaultdict(list)
    for source in sources:
        by_host[host_key(source.url)].append(source)
    queues = list(by_host.values())
    ordered: list[Source] = []
    for depth in range(max(map(len, queues), default=0)):
        ordered.extend(queue[depth] for queue in queues if depth < len(queue))
    return ordered


def check_many(
    sources: Iterable[Source], policy: FetchPolicy | None = None, sleep: Sleep = time.sleep
) -> list[Checked]:
    policy = policy or check_policy()
    return [check_source(source, policy, sleep) for source in sources]
