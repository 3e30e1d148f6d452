"""What a feed holds, whatever it is written as (Atom, RSS, Blogger's JSON, JSON Feed).

A feed is a `Channel` and a list of `Entry` tuples built from rows; the writers
(posts.feedwriter, posts.feedjson) only format them. Identity lives here: an entry's id
is an RFC 4151 tag URI from the host and a date that never changes for it (its creation
date), so a reader never shows an entry twice because it was edited or re-dated.
"""

import mimetypes
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple

from django.core.exceptions import SuspiciousOperation
from django.template.defaultfilters import truncatewords

from dateline.posts.rendering import text_head

# RFC 4151's DNSname: dot-separated components of letters, digits and inner hyphens.
SUMMARY_WORDS = 60  # a summary feed's entry: the body's first words, as plain text
_DNS_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")


class Channel(NamedTuple):
    """The feed as a whole; links are paths or URLs, made absolute by the writer."""

    title: str
    link: str  # the page the feed mirrors (its alternate)
    description: str  # RSS <description>
    subtitle: str | None  # Atom <subtitle>
    feed_path: str = "/feeds/posts/default"  # the feed's own address: its Atom id
    author: str = ""  # the feed-level author (the blog's title)


class Enclosure(NamedTuple):
    """The lead image: its URL (path or URL), size in bytes, media type and caption."""

    url: str
    length: int
    mime_type: str
    title: str


class Related(NamedTuple):
    """The Source a clipped post is based on: its link (source.link_url) and name."""

    url: str
    title: str


class Entry(NamedTuple):
    """One item; `link` is a path or URL, `categories` label names in order."""

    title: str
    link: str
    content: str  # HTML
    key: str  # "post-6", "comment-9": unique on the site
    created: datetime  # never changes: the tag URI's date
    published: datetime
    updated: datetime
    author: str | None  # None: the feed's author
    categories: Sequence[str]
    image: Enclosure | None = None
    source: Related | None = None


@dataclass
class FeedContent:
    """A feed's channel and one page of its entries (`more`: another page follows);
    `total` counts every entry of the feed, asked only by the formats that show it."""

    channel: Channel
    entries: list[Entry]
    more: bool = False
    single: bool = False  # one entry by its id: Atom answers an entry document
    archive: int = 0  # an RFC 5005 archive page's number (posts.feedarchive); 0: none
    archives: int = 0  # how many archive pages the feed has (known on an archive page)
    total: Callable[[], int] | None = field(default=None, compare=False, repr=False)


def tag_authority(host: str) -> str:
    """The request's host as RFC 4151 wants it: lower case, no port; "localhost" for an
    address that is not a DNS name (an IPv6 literal)."""
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    name = name.lower().rstrip(".")
    return name if _DNS_NAME.fullmatch(name) else "localhost"


def tag_uri(authority: str, entry: Entry) -> str:
    """`tag:host,YYYY-MM-DD:post-6`, the date the entry was created (UTC)."""
    return f"tag:{authority},{entry.created.astimezone(UTC):%Y-%m-%d}:{entry.key}"


def lead_image(name: str, caption: str) -> Enclosure | None:
    """The lead image as an enclosure, when its file is there to measure."""
    if not name:
        return None
    from dateline.posts.models import Post

    storage = Post._meta.get_field("lead_image").storage
    mime_type = mimetypes.guess_type(name)[0] or ""
    if not mime_type.startswith("image/"):
        return None
    try:
        return Enclosure(storage.url(name), storage.size(name), mime_type, caption)
    except (OSError, SuspiciousOperation, ValueError):  # gone, or a name from an import
        return None


def related(source: object | None) -> Related | None:
    """The Source as a related link, when it has one safe to link: the original, or a
    copy once link checks found the original dead (source.link_for, as pages link it)."""
    if source is None or not getattr(source, "link_url", ""):
        return None
    link_for = getattr(source, "link_for", None)
    return Related(link_for() if link_for else source.link_url, source.display_name)


def summary_of(entry: Entry) -> str:
    """Blogger's summary feeds: the start of the body as plain text (cut only when asked)."""
    return truncatewords(text_head(entry.content, SUMMARY_WORDS), SUMMARY_WORDS)
