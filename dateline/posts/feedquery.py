"""Blogger's feed query parameters, read once per request into a `FeedQuery`.

Old readers, widgets and scripts call Blogger's feeds with `alt`, `callback`,
`max-results`, `start-index`, `orderby` and `published-`/`updated-min/max`. Each value
is read here, bounded, and recorded as understood (core.pagequery), so a page cache
stores only the answers to well-spelled questions. A value that cannot mean anything
(a callback that is not a name, an `alt` no one serves) is a 400 saying why; a number or
date out of range a 404, as on every other page (core.urlvalues).
"""

import re
from dataclasses import dataclass, replace
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from dateline.core.errors import ReaderError
from dateline.core.pagequery import reads
from dateline.core.urlvalues import moment, whole_number

MAX_RESULTS = 500  # Blogger's own cap: a larger ask gets this many
MAX_ASKED = 1_000_000  # larger asks are refused (a 404), as on /search
MAX_START_INDEX = 1_000_000_000
ALTS = ("atom", "rss", "json", "json-in-script", "jsonfeed")
ORDERS = ("published", "updated")
# A JavaScript name, or names joined by dots (`Widget.show`), in ASCII: nothing a
# callback could smuggle script through.
_CALLBACK = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*")
MAX_CALLBACK = 100
_BOUNDS = ("published-min", "published-max", "updated-min", "updated-max")


class FeedQueryError(ReaderError):
    """A feed parameter no value of which the feed understands."""


@dataclass(frozen=True)
class FeedQuery:
    """What a feed request asks for. Bounds: `-min` inclusive, `-max` exclusive (Blogger's)."""

    alt: str = "atom"
    callback: str = ""
    max_results: int = 0  # 0 until read: DATELINE_FEED_SIZE
    start_index: int = 1
    orderby: str = "published"
    published_min: datetime | None = None
    published_max: datetime | None = None
    updated_min: datetime | None = None
    updated_max: datetime | None = None
    archive: int = 0  # RFC 5005 archive page (posts.feedarchive); 0: not an archive

    @property
    def plain(self) -> bool:
        """No filter or order but the default: the feed's fast, prepared query answers."""
        return self.orderby == "published" and not any(
            (self.published_min, self.published_max, self.updated_min, self.updated_max)
        )

    @property
    def first_page(self) -> bool:
        """The feed as the site links it: what a static mirror holds (posts.preload)."""
        return (
            self.plain
            and self.start_index == 1
            and (self.max_results == settings.DATELINE_FEED_SIZE)
        )

    @property
    def offset(self) -> int:
        return self.start_index - 1


def default_query() -> FeedQuery:
    """The feed with no parameters: its newest DATELINE_FEED_SIZE entries, in Atom."""
    return FeedQuery(max_results=settings.DATELINE_FEED_SIZE)


def _choice(request: HttpRequest, name: str, allowed: tuple[str, ...], default: str) -> str:
    raw = request.GET.get(name)
    if raw is None:
        return default
    if raw not in allowed:
        raise FeedQueryError(f"{name} is one of {', '.join(allowed)}; not {raw[:40]!r}.")
    # The default spelled out (`alt=atom`) is another address of the same feed: answered,
    # not stored (core.pagequery).
    reads(request, name, raw if raw != default else None)
    return raw


def _callback(request: HttpRequest, alt: str) -> str:
    raw = request.GET.get("callback")
    if alt != "json-in-script":
        return ""
    if raw is None or len(raw) > MAX_CALLBACK or not _CALLBACK.fullmatch(raw):
        raise FeedQueryError(
            "alt=json-in-script needs callback, a JavaScript function name "
            f"(letters, digits, _ and $, dots between names, up to {MAX_CALLBACK} characters)."
        )
    reads(request, "callback", raw)
    return raw


def _bound(request: HttpRequest, name: str) -> datetime | None:
    raw = request.GET.get(name)
    if raw is None:
        return None
    when = moment(raw.replace(" ", "+"), name)  # an unencoded "+hh:mm" arrives as a space
    reads(request, name, timezone.localtime(when).isoformat())
    return when


def read_query(request: HttpRequest, fixed_alt: str = "") -> FeedQuery:
    """The request's feed parameters, each recorded as understood (core.pagequery);
    `fixed_alt`: the address names the format (`/feed.json`), `alt` is not read."""
    alt = fixed_alt or _choice(request, "alt", ALTS, "atom")
    max_results = settings.DATELINE_FEED_SIZE
    raw = request.GET.get("max-results")
    if raw is not None:
        max_results = min(whole_number(raw, "max-results", MAX_ASKED), MAX_RESULTS)
        reads(request, "max-results", max_results)
    start_index = 1
    raw = request.GET.get("start-index")
    if raw is not None:
        start_index = whole_number(raw, "start-index", MAX_START_INDEX)
        if start_index < 1:
            raise FeedQueryError(f"start-index is a number from 1 to {MAX_START_INDEX}.")
        reads(request, "start-index", start_index)
    bounds = {name.replace("-", "_"): _bound(request, name) for name in _BOUNDS}
    query = FeedQuery(
        alt=alt,
        callback=_callback(request, alt),
        max_results=max_results,
        start_index=start_index,
        orderby=_choice(request, "orderby", ORDERS, "published"),
        **bounds,
    )
    raw = request.GET.get("archive")
    if raw is None:
        return query
    if not query.first_page:
        raise FeedQueryError("An archive page is a whole page of the feed: archive takes no "
                             "max-results, start-index, orderby or date bounds.")  # fmt: skip
    number = whole_number(raw, "archive", MAX_START_INDEX)
    if number < 1:
        raise FeedQueryError("archive is a page number from 1.")
    reads(request, "archive", number)
    return replace(query, archive=number)


class ProjectionConverter:
    """`<projection:name>`: Blogger's `default` (full content) or `summary` feeds."""

    regex = "default|summary"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
