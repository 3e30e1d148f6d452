"""What every feed format takes from the request: absolute URLs, rel="self", the tag
URIs' host, the feed's date. Shared by posts.feedwriter (Atom, RSS) and posts.feedjson."""

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import NamedTuple

from django.http import HttpRequest
from django.utils.encoding import iri_to_uri
from django.utils.translation import get_language

from dateline.posts.feeditems import Entry, FeedContent, tag_authority

# Characters iri_to_uri leaves alone: a URL made only of these is its own URI.
_URI_SAFE = re.compile(r"[A-Za-z0-9_.\-~/#%\[\]=:;$&()+,!?*@']*")


def iri(url: str) -> str:
    """The URI of an IRI (iri_to_uri, skipped when there is nothing to encode)."""
    return url if _URI_SAFE.fullmatch(url) else iri_to_uri(url)


class Site:
    """The request's protocol and host, as the syndication framework's add_domain uses."""

    def __init__(self, request: HttpRequest):
        self.protocol = "https" if request.is_secure() else "http"
        self.base = f"{self.protocol}://{request.get_host()}"

    def absolute(self, url: str) -> str:
        """add_domain(): a path on this site made absolute, as a URI."""
        if url.startswith("//"):
            return f"{self.protocol}:{url}"
        if not url.startswith(("http://", "https://", "mailto:")):
            return iri(self.base + url)
        return url


def latest_date(entries: Sequence[Entry]) -> datetime:
    """feedgenerator's latest_post_date(): the newest date of any entry, else now."""
    latest = None
    for entry in entries:
        for date in (entry.updated, entry.published):
            if date and (latest is None or date > latest):
                latest = date
    return latest or datetime.now(tz=UTC)


class Head(NamedTuple):
    """What every feed's head takes from the request."""

    site: Site
    feed_url: str  # rel="self": the address asked
    language: str | None
    updated: datetime
    authority: str  # the tag URIs' host
    summary: bool = False  # Blogger's summary feeds: text summaries instead of content
    paging: Sequence[tuple[str, str]] = ()  # RFC 5005 links: (rel, absolute URL)
    archived: bool = False  # an RFC 5005 archive page (<fh:archive/>)


def head_for(
    request: HttpRequest, content: FeedContent, summary: bool, paging: Sequence[tuple[str, str]]
) -> Head:
    """The head of `content` answering `request`; rel="self" names the address asked."""
    site = Site(request)
    query = request.META.get("QUERY_STRING", "")
    self_url = iri(site.absolute(request.path + (f"?{query}" if query else "")))
    authority = tag_authority(request.get_host())
    updated = latest_date(content.entries)
    archived = bool(content.archive)
    return Head(site, self_url, get_language(), updated, authority, summary, paging, archived)
