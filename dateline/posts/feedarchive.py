"""RFC 5005 archived feeds (§4): every feed's whole history in pages that stay put.

Archive page K holds the feed's entries K·N-N+1 to K·N counted from the oldest (N is
DATELINE_FEED_SIZE), so a new post never moves an old one to another page: a reader
that saw page K once need not fetch it again. Only whole pages are archives; the newest
entries are the subscription feed itself, whose `prev-archive` link names the newest
archive. An archive names the subscription feed (`current`) and its neighbours
(`prev-archive`, `next-archive`) and says it is one (`<fh:archive/>`).
"""

from dataclasses import replace
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest

from dateline.posts.feedhead import Site, iri
from dateline.posts.feeditems import FeedContent
from dateline.posts.feedquery import FeedQuery

HISTORY_NS = "http://purl.org/syndication/history/1.0"


def read_archive(read, query: FeedQuery) -> FeedContent:
    """Archive page `query.archive` of the feed `read(query)` gives: counted, then read."""
    size = settings.DATELINE_FEED_SIZE
    counted = read(replace(query, max_results=0))
    total = counted.total() if counted.total is not None else 0
    complete = total // size
    if query.archive > complete:
        raise Http404(f"No such archive page: this feed has {complete}.")
    start = total - query.archive * size + 1
    content = read(replace(query, start_index=start, max_results=size))
    content.archive, content.archives = query.archive, complete
    content.more = False  # an archive's neighbours are archives, not pages
    return content


def _archive_url(request: HttpRequest, site: Site, query: FeedQuery, number: int) -> str:
    """The feed's archive page `number` (0: the subscription feed) in the format asked."""
    pairs = []
    if query.alt != "atom":
        pairs.append(("alt", query.alt))
    if query.callback:
        pairs.append(("callback", query.callback))
    if number:
        pairs.append(("archive", str(number)))
    encoded = urlencode(pairs)
    return iri(site.absolute(request.path + (f"?{encoded}" if encoded else "")))


def archive_links(request: HttpRequest, content: FeedContent, query: FeedQuery) -> list[tuple]:
    """`prev-archive` on the subscription feed; `current` and the neighbours on an archive."""
    site = Site(request)
    if content.archive:
        links = [("current", _archive_url(request, site, query, 0))]
        if content.archive > 1:
            links.append(("prev-archive", _archive_url(request, site, query, content.archive - 1)))
        if content.archive < content.archives:
            links.append(("next-archive", _archive_url(request, site, query, content.archive + 1)))
        return links
    if not (query.first_page and content.more and content.total is not None):
        return []
    newest = content.total() // settings.DATELINE_FEED_SIZE
    return [("prev-archive", _archive_url(request, site, query, newest))] if newest else []
