"""JSON Feed 1.1 (jsonfeed.org/version/1.1): the post feeds as JSON for the readers that
prefer it, at `/feed.json` and as `alt=jsonfeed` on every feed.

Each item carries the post's HTML, its labels as tags, its lead image, its author and,
as `external_url`, the Source the post is based on (source.link_url).
"""

import json

from django.http import HttpResponse
from django.utils.feedgenerator import rfc3339_date
from django.utils.http import http_date

from dateline.posts.feedhead import Head, iri
from dateline.posts.feeditems import Channel, Entry, FeedContent, summary_of, tag_uri

VERSION = "https://jsonfeed.org/version/1.1"
CONTENT_TYPE = "application/feed+json; charset=utf-8"


def _item(entry: Entry, channel: Channel, head: Head) -> dict:
    site = head.site
    item: dict = {
        "id": tag_uri(head.authority, entry),
        "url": iri(site.absolute(entry.link)),
        "title": entry.title,
    }
    if head.summary:
        item["content_text"] = item["summary"] = summary_of(entry)
    else:
        item["content_html"] = entry.content
    if entry.source is not None:
        item["external_url"] = iri(entry.source.url)
    if entry.image is not None:
        item["image"] = iri(site.absolute(entry.image.url))
    item["date_published"] = rfc3339_date(entry.published)
    item["date_modified"] = rfc3339_date(entry.updated)
    item["authors"] = [{"name": entry.author or channel.author}]
    if entry.categories:
        item["tags"] = list(entry.categories)
    return item


def jsonfeed_response(content: FeedContent, head: Head) -> HttpResponse:
    """The feed (or its one entry, as a feed of one) as JSON Feed 1.1."""
    channel, site = content.channel, head.site
    feed: dict = {
        "version": VERSION,
        "title": channel.title,
        "home_page_url": iri(site.absolute(channel.link)),
        "feed_url": head.feed_url,
    }
    if channel.description:
        feed["description"] = channel.description
    links = dict(head.paging)
    if "next" in links:
        feed["next_url"] = links["next"]
    if head.language:
        feed["language"] = head.language
    feed["authors"] = [{"name": channel.author}]
    feed["items"] = [_item(entry, channel, head) for entry in content.entries]
    response = HttpResponse(json.dumps(feed, ensure_ascii=False), content_type=CONTENT_TYPE)
    response.headers["Last-Modified"] = http_date(head.updated.timestamp())
    return response
