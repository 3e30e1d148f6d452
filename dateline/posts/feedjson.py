"""Blogger's GData JSON (`alt=json`, `alt=json-in-script&callback=f`), as old widgets parse it.

Blogger wrote its Atom feed as JSON: each element an object, text under "$t", attributes
as keys, namespaced names with "$" for ":" (`openSearch$totalResults`), a feed's entries
under "entry" (left out when there are none, as Blogger does). Recent-posts widgets read
`feed.entry[i].title.$t`, the rel=alternate link, `content.$t` or `summary.$t`,
`media$thumbnail.url`, `category[].term`, `author[0].name.$t` and
`openSearch$totalResults.$t`. The JSON is ASCII with "<", ">" and "&" escaped, so no
value ends a script or an HTML comment wherever a page includes it.
"""

import json

from django.http import HttpResponse
from django.utils.feedgenerator import rfc3339_date
from django.utils.http import http_date

from dateline.posts.feedhead import Head, iri
from dateline.posts.feeditems import Channel, Entry, FeedContent, summary_of, tag_uri
from dateline.posts.feedquery import FeedQuery

_NAMESPACES = {
    "xmlns": "http://www.w3.org/2005/Atom",
    "xmlns$openSearch": "http://a9.com/-/spec/opensearchrss/1.0/",
    "xmlns$blogger": "http://schemas.google.com/blogger/2008",
    "xmlns$gd": "http://schemas.google.com/g/2005",
    "xmlns$thr": "http://purl.org/syndication/thread/1.0",
}
_MEDIA = "http://search.yahoo.com/mrss/"
_LABEL_SCHEME = "http://www.blogger.com/atom/ns#"


def _t(value: str) -> dict:
    return {"$t": value}


def _entry(entry: Entry, channel: Channel, head: Head) -> dict:
    site = head.site
    links = [{"rel": "alternate", "type": "text/html", "href": iri(site.absolute(entry.link)),
              "title": entry.title}]  # fmt: skip
    if entry.source is not None:
        links.append({"rel": "related", "type": "text/html", "href": iri(entry.source.url),
                      "title": entry.source.title})  # fmt: skip
    image = entry.image
    if image is not None:
        links.append({"rel": "enclosure", "type": image.mime_type, "length": str(image.length),
                      "href": iri(site.absolute(image.url))})  # fmt: skip
    body = (
        {"summary": {"type": "text", "$t": summary_of(entry)}}
        if head.summary
        else {"content": {"type": "html", "$t": entry.content}}
    )
    data = {
        "id": _t(tag_uri(head.authority, entry)),
        "published": _t(rfc3339_date(entry.published)),
        "updated": _t(rfc3339_date(entry.updated)),
        "category": [{"scheme": _LABEL_SCHEME, "term": name} for name in entry.categories],
        "title": {"type": "text", "$t": entry.title},
        **body,
        "link": links,
        "author": [{"name": _t(entry.author or channel.author)}],
    }
    if image is not None:
        data["media$thumbnail"] = {"xmlns$media": _MEDIA, "url": links[-1]["href"],
                                   "height": "72", "width": "72"}  # fmt: skip
    return data


def _feed(content: FeedContent, head: Head, query: FeedQuery) -> dict:
    channel, site = content.channel, head.site
    feed_url = iri(site.absolute(channel.feed_path))
    links = [
        {"rel": "http://schemas.google.com/g/2005#feed", "type": "application/atom+xml",
         "href": feed_url},
        {"rel": "self", "type": "application/json", "href": head.feed_url},
        {"rel": "alternate", "type": "text/html", "href": iri(site.absolute(channel.link))},
        *({"rel": rel, "type": "application/json", "href": url} for rel, url in head.paging),
    ]  # fmt: skip
    total = content.total() if content.total is not None else len(content.entries)
    feed = {
        **_NAMESPACES,
        "id": _t(feed_url),
        "updated": _t(rfc3339_date(head.updated)),
        "title": {"type": "text", "$t": channel.title},
        "subtitle": {"type": "html", "$t": channel.subtitle or channel.description},
        "link": links,
        "author": [{"name": _t(channel.author)}],
        "generator": {"version": "1.0", "$t": "Dateline"},
        "openSearch$totalResults": _t(str(total)),
        "openSearch$startIndex": _t(str(query.start_index)),
        "openSearch$itemsPerPage": _t(str(query.max_results)),
    }
    if content.entries:
        feed["entry"] = [_entry(entry, channel, head) for entry in content.entries]
    return feed


def gdata_response(content: FeedContent, head: Head, query: FeedQuery) -> HttpResponse:
    """The feed (or its one entry) as Blogger's JSON, or that JSON passed to `callback`."""
    if content.single:
        entry = {**_NAMESPACES, **_entry(content.entries[0], content.channel, head)}
        document = {"version": "1.0", "encoding": "UTF-8", "entry": entry}
    else:
        document = {"version": "1.0", "encoding": "UTF-8", "feed": _feed(content, head, query)}
    text = json.dumps(document, separators=(",", ":"))  # ASCII: \u escapes for the rest
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    if query.alt == "json-in-script":
        body, content_type = f"// API callback\n{query.callback}({text});", "text/javascript"
    else:
        body, content_type = text, "application/json"
    response = HttpResponse(body, content_type=f"{content_type}; charset=UTF-8")
    response.headers["Last-Modified"] = http_date(head.updated.timestamp())
    return response
