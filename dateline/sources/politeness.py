"""Asking each host politely: one request per host per interval, across every worker,
and robots.txt obeyed.

The interval is claimed in the database (one UPDATE that succeeds only when the host's
`not_before` has passed), so two workers never ask one host at once. robots.txt is
fetched once a day per host and read with protego.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from protego import Protego

from dateline.clipping.errors import FetchError
from dateline.clipping.fetch import FetchedPage, FetchPolicy, fetch
from dateline.sources.models import SourceHost

USER_AGENT = "Dateline-LinkCheck/0.1 (+self-hosted news-clipping blog; checks cited links)"
ROBOTS_AGENT = "Dateline-LinkCheck"
ROBOTS_MAX_AGE = timedelta(days=1)
Sleep = Callable[[float], None]


def host_key(url: str) -> str:
    """The host a politeness slot is kept for ("example.com:8080")."""
    parts = urlsplit(url)
    return (parts.netloc.rsplit("@", 1)[-1] or url).lower()[:300]


def interval() -> timedelta:
    return timedelta(seconds=max(0, settings.DATELINE_SOURCE_HOST_INTERVAL))


def claim(host: str, now: datetime | None = None, every: timedelta | None = None) -> float:
    """Take the host's next slot if it is free: 0.0, else the seconds until it frees.
    `every`: the gap to the next slot (by default the checker's per-host interval)."""
    now = now or timezone.now()
    gap = interval() if every is None else every
    free = Q(not_before__isnull=True) | Q(not_before__lte=now)
    taken = SourceHost.objects.filter(free, host=host).update(not_before=now + gap)
    if taken:
        return 0.0
    try:
        with transaction.atomic():
            SourceHost.objects.create(host=host, not_before=now + gap)
        return 0.0
    except IntegrityError:  # it exists and is busy (or another worker just made it)
        pass
    row = SourceHost.objects.filter(host=host).values_list("not_before", flat=True).first()
    if row is None:
        return 0.0
    return max(0.001, (row - now).total_seconds())


def polite_fetch(url: str, policy: FetchPolicy, sleep: Sleep = time.sleep) -> FetchedPage:
    """`fetch`, once this host's interval since our last request to it has passed."""
    host = host_key(url)
    while (wait := claim(host)) > 0:
        sleep(wait)
    return fetch(url, policy)


def robots_allow(url: str, policy: FetchPolicy, sleep: Sleep = time.sleep) -> bool:
    """Whether the host's robots.txt lets our checker fetch `url` (no robots.txt: yes)."""
    host = host_key(url)
    row = SourceHost.objects.filter(host=host).first()
    now = timezone.now()
    if row is None or row.robots_fetched_at is None or now - row.robots_fetched_at > ROBOTS_MAX_AGE:
        text = _fetch_robots(url, policy, sleep)
        SourceHost.objects.update_or_create(
            host=host, defaults={"robots_txt": text, "robots_fetched_at": now}
        )
    else:
        text = row.robots_txt
    if not text.strip():
        return True
    return Protego.parse(text).can_fetch(url, ROBOTS_AGENT)


def _fetch_robots(url: str, policy: FetchPolicy, sleep: Sleep) -> str:
    """The robots.txt text; none (everything allowed) when it is missing or unreadable,
    as crawlers read it. A server error is read as "allowed" too: the check itself
    will then find the site unreachable."""
    parts = urlsplit(url)
    try:
        page = polite_fetch(f"{parts.scheme}://{parts.netloc}/robots.txt", policy, sleep)
    except FetchError:
        return ""
    if page.status != 200 or not page.content_type.startswith("text/"):
        return ""
    return page.body[:500_000].decode(page.charset or "utf-8", "replace")
