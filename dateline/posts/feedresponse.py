"""A feed's answer in the format `alt` asks for, with its RFC 5005 paging links.

Every feed pages the way Blogger's do, by `start-index` and `max-results`: the links
(`first`, `previous`, `next`: RFC 5005 §3) keep the reader's other parameters, so a
reader or a script walks the whole feed from any page of it; and it has archive pages
that stay put (§4, posts.feedarchive).
"""

from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

from django.http import HttpRequest, HttpResponse

from dateline.core.pagequery import understood_query
from dateline.posts import feedjson
from dateline.posts.feedarchive import archive_links, read_archive
from dateline.posts.feedhead import Site, head_for, iri
from dateline.posts.feeditems import FeedContent
from dateline.posts.feedquery import FeedQuery
from dateline.posts.feedwriter import feed_response
from dateline.posts.jsonfeed import jsonfeed_response


def _page_url(request: HttpRequest, site: Site, start_index: int) -> str:
    """This feed's address as understood, at `start-index`."""
    pairs = [(name, value) for name, value in parse_qsl(understood_query(request))
             if name != "start-index"]  # fmt: skip
    if start_index > 1:
        pairs.append(("start-index", str(start_index)))
    query = urlencode(pairs)
    return iri(site.absolute(request.path + (f"?{query}" if query else "")))


def paging_links(request: HttpRequest, content: FeedContent, query: FeedQuery) -> list[tuple]:
    """RFC 5005 §3 (paged feeds): first, previous and next, where they lead somewhere."""
    if content.single:
        return []
    if content.archive:
        return archive_links(request, content, query)
    site = Site(request)
    links = [("first", _page_url(request, site, 1))]
    if query.start_index > 1:
        previous = max(1, query.start_index - max(query.max_results, 1))
        links.append(("previous", _page_url(request, site, previous)))
    if content.more and query.max_results:
        links.append(("next", _page_url(request, site, query.start_index + query.max_results)))
    return links + archive_links(request, content, query)


def read_feed(read: Callable[[FeedQuery], FeedContent], query: FeedQuery) -> FeedContent:
    """The page of the feed the query asks for, an archive page included."""
    return read_archive(read, query) if query.archive else read(query)


def respond(
    request: HttpRequest, content: FeedContent, query: FeedQuery, summary: bool
) -> HttpResponse:
    """The feed as Atom, RSS, Blogger's GData JSON (or JSON-in-script) or JSON Feed."""
    head = head_for(request, content, summary, paging_links(request, content, query))
    if query.alt in ("json", "json-in-script"):
        return feedjson.gdata_response(content, head, query)
    if query.alt == "jsonfeed":
        return jsonfeed_response(content, head)
    return feed_response(request, content, head, rss=query.alt == "rss")
