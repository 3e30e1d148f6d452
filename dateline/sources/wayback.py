"""The Internet Archive: its copy of a page closest to a date (the availability API),
optional and polite.

DATELINE_WAYBACK_URL names the availability API ("off": never ask); the answer is kept
on SourceHealth, so a page that shows the link never waits for the Archive.
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings

from dateline.clipping.errors import FetchError
from dateline.core.links import linkable_url
from dateline.sources.politeness import Sleep, polite_fetch
from dateline.sources.probe import check_policy

WEB_ARCHIVE = "https://web.archive.org/web/"


def enabled() -> bool:
    return settings.DATELINE_WAYBACK_URL.strip().lower() not in ("", "off")


def stamp(when: datetime | None) -> str:
    """The Archive's timestamp form of a date ("20070709"), or "" without one."""
    return when.strftime("%Y%m%d") if when else ""


def closest_copy(url: str, when: datetime | None, sleep: Sleep = time.sleep) -> str | None:
    """The Archive's copy of `url` closest to `when`: its address, "" when it has none,
    None when it could not be asked (try again later)."""
    if not enabled():
        return None
    query = {"url": url}
    if when:
        query["timestamp"] = when.strftime("%Y%m%d%H%M%S")
    api = settings.DATELINE_WAYBACK_URL.strip()
    try:
        answer = polite_fetch(f"{api}?{urlencode(query)}", check_policy(), sleep)
    except FetchError:
        return None
    if answer.status != 200:
        return None
    try:
        closest = json.loads(answer.body)["archived_snapshots"].get("closest") or {}
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if not isinstance(closest, dict) or not closest.get("available"):
        return ""
    if not str(closest.get("status", "200")).startswith("2"):
        return ""
    return linkable_url(str(closest.get("url", ""))).replace("http://", "https://", 1)


def dated_link(url: str, when: datetime | None) -> str:
    """The Archive's own redirect to its copy nearest a date: the last resort, no lookup."""
    return f"{WEB_ARCHIVE}{stamp(when) or '2'}/{url}"
