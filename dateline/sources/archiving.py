"""A copy of each clipped story saved at the Internet Archive (Save Page Now), when the
blog asks for it (DATELINE_ARCHIVE_ON_CLIP), so a public copy exists before the page dies.

Saves go out from the task worker after the clip commits, one at a time across every
worker: a slot is claimed in the database (as link checks claim a host's) at most once
every DATELINE_ARCHIVE_SAVE_INTERVAL seconds, well under the rate the Archive allows an
anonymous client. A refused or failed save is noted on the source and not retried in a
loop; the weekly check's availability lookup still finds any copy the Archive has.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from dateline.clipping.errors import FetchError
from dateline.clipping.fetch import fetch
from dateline.core.links import linkable_url
from dateline.posts.models import Source
from dateline.sources.models import SourceHealth
from dateline.sources.politeness import Sleep, claim, host_key
from dateline.sources.probe import check_policy

SAVE_TIMEOUT = 90.0  # seconds: the Archive fetches the page itself before it answers


def enabled() -> bool:
    endpoint = settings.DATELINE_WAYBACK_SAVE_URL.strip().lower()
    return bool(settings.DATELINE_ARCHIVE_ON_CLIP) and endpoint not in ("", "off")


def save_copy(url: str, sleep: Sleep = time.sleep) -> str | None:
    """Ask the Archive to save `url`: the new copy's address, "" when it saved without
    naming it, None when it refused or could not be reached."""
    endpoint = settings.DATELINE_WAYBACK_SAVE_URL.strip()
    every = timedelta(seconds=max(0, settings.DATELINE_ARCHIVE_SAVE_INTERVAL))
    slot = "save:" + host_key(endpoint)
    while (wait := claim(slot, every=every)) > 0:
        sleep(wait)
    policy = replace(check_policy(), total_timeout=SAVE_TIMEOUT, max_bytes=64_000)
    try:
        answer = fetch(endpoint + url, policy)
    except FetchError:
        return None
    if answer.status >= 400:
        return None
    # Save Page Now answers with (or redirects to) the copy, at /web/<timestamp>/<url>.
    for address in (answer.url, *reversed(answer.redirects)):
        if "/web/" in address:
            return linkable_url(address)
    return ""


def archive_source(source_id: int, sleep: Sleep = time.sleep) -> str:
    """Save the source's page and keep the copy's address on its health record; what
    happened: "saved", "saved, address unknown", "refused", "off" or "gone"."""
    if not enabled():
        return "off"
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return "gone"
    copy = save_copy(source.url, sleep)
    if copy is None:
        return "refused"
    if copy:
        SourceHealth.objects.update_or_create(
            source=source, defaults={"archive_url": copy, "archive_looked_up_at": timezone.now()}
        )
        return "saved"
    return "saved, address unknown"
