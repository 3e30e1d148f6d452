"""Atom 1.0 and RSS 2.0 written straight from rows, valid by the W3C feed validator's rules.

django.contrib.syndication asks a dozen `item_*` methods per item through introspection,
and feedgenerator writes through a SAX generator and a text wrapper one tag at a time:
together most of a feed's time (bench/ measures it). Here a feed is a `Channel` and a list of
`Entry` tuples (posts.feeditems), joined as strings, escaped and quoted as the framework
did. What the validator asks for beyond the framework's output (tag URIs, a feed-level
author, `updated` on every entry, rel="self" naming the address asked, typed links,
the lead image and the Source) is checked rule by rule in tests/posts/test_feed_rules.py.

Control characters (XML 1.0 cannot carry most of them) are stripped from the whole
document, once, when it holds any: stored text is cleaned on the way in, so only a
write that bypassed that (an import, a raw update) leaves one. The framework stripped
titles and bodies but refused a control character left in any other text with a 500
(a comment's body, a label's name) and wrote one in an attribute as it was; here the
feed answers, without it. Scanning the written document is one pass over bytes, where
scanning every value was one pass per value.
"""

import re
from collections.abc import Sequence
from xml.sax.saxutils import quoteattr

from django.http import HttpRequest, HttpResponse
from django.utils.feedgenerator import rfc2822_date, rfc3339_date
from django.utils.html import format_html
from django.utils.http import http_date

from dateline.core.text import strip_control_chars
from dateline.posts.feedhead import Head, iri
from dateline.posts.feeditems import Channel, Entry, FeedContent, summary_of, tag_uri

# strip_control_chars' characters, which include those, as UTF-8: the ASCII ones are
# single bytes no other character uses; C1 controls start with 0xC2 and U+FFFE/U+FFFF
# with 0xEF, so a document without those bytes needs no pattern search at all.
_ASCII_CONTROLS = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_WIDE_CONTROLS = re.compile(rb"\xc2[\x80-\x9f]|\xef\xbf[\xbe\xbf]")
_ATTR_SPECIAL = re.compile('[&<>"\n\r\t]')
_DC = "http://purl.org/dc/elements/1.1/"
_ATOM_NS = "http://www.w3.org/2005/Atom"
_ATOM_TYPE = "application/atom+xml; charset=utf-8"
_ATOM_ENTRY_TYPE = "application/atom+xml; type=entry; charset=utf-8"
_RSS_TYPE = "application/rss+xml; charset=utf-8"
_ARCHIVED = '<fh:archive xmlns:fh="http://purl.org/syndication/history/1.0"/>'  # RFC 5005


def _escape(value: str) -> str:
    """Character data as XMLGenerator escapes it."""
    return value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _element(name: str, value: str | None, attrs: str = "") -> str:
    """addQuickElement(name, value, attrs): empty or missing content closes the tag at
    once; `attrs` is written as given (sorted by name and quoted, as the generator does)."""
    if not value:
        return f"<{name}{attrs}/>"
    return f"<{name}{attrs}>{_escape(value)}</{name}>"


def _attr(value: str) -> str:
    """quoteattr(value), without its replacements when there is nothing to replace."""
    if _ATTR_SPECIAL.search(value):
        return quoteattr(value)
    return f'"{value}"'


def _has_control_chars(document: bytes) -> bool:
    """Whether any of strip_control_chars' characters is in a UTF-8 document."""
    if len(document.translate(None, _ASCII_CONTROLS)) != len(document):
        return True
    if document.isascii() or (b"\xc2" not in document and b"\xef" not in document):
        return False
    return _WIDE_CONTROLS.search(document) is not None


def _links(entry: Entry, head: Head, rss: bool) -> str:
    """The lead image and the Source: Atom links, or RSS's enclosure and a line in the body
    (RSS's <source> names the RSS channel an item came from, not a web page)."""
    parts = []
    image, source = entry.image, entry.source
    if image is not None:
        url = _attr(iri(head.site.absolute(image.url)))
        kind = _attr(image.mime_type)
        if rss:
            parts.append(f'<enclosure url={url} length="{image.length}" type={kind}/>')
        else:
            title = f" title={_attr(image.title)}" if image.title else ""
            parts.append(f'<link rel="enclosure" href={url} length="{image.length}" '
                         f"type={kind}{title}/>")  # fmt: skip
    if source is not None and not rss:
        parts.append(f'<link rel="related" href={_attr(iri(source.url))} '
                     f'type="text/html" title={_attr(source.title)}/>')  # fmt: skip
    return "".join(parts)


def _body(entry: Entry, rss: bool) -> str:
    """The entry's HTML; in RSS followed by its Source as a link."""
    if not rss or entry.source is None:
        return entry.content
    line = format_html('<p>Source: <a href="{}">{}</a></p>', entry.source.url, entry.source.title)
    return f"{entry.content}\n{line}"


def _paging(head: Head, prefix: str, kind: str) -> list[str]:
    return [f"<{prefix}link rel={_attr(rel)} href={_attr(url)} type={_attr(kind)}/>"
            for rel, url in head.paging]  # fmt: skip


def _atom_entry(entry: Entry, head: Head, namespace: str = "", author: str | None = None) -> str:
    """An <entry>; with `namespace`, an Atom entry document (its xmlns and language). An
    entry without an author of its own names `author` (a document of one entry has no feed
    author to fall back on, and RFC 4287 wants one: the W3C validator said so)."""
    site = head.site
    parts = ["<entry>"]
    if namespace:
        lang = f" xml:lang={_attr(head.language)}" if head.language is not None else ""
        parts = [
            '<?xml version="1.0" encoding="utf-8"?>\n',
            f"<entry{lang} xmlns={_attr(namespace)}>",
        ]
    parts.append(_element("title", entry.title))
    parts.append(
        f'<link href={_attr(iri(site.absolute(entry.link)))} rel="alternate" type="text/html"/>'
    )
    parts.append(_element("published", rfc3339_date(entry.published)))
    parts.append(_element("updated", rfc3339_date(entry.updated)))
    name = entry.author if entry.author is not None else author
    if name is not None:
        parts.append(f"<author>{_element('name', name)}</author>")
    parts.append(_element("id", tag_uri(head.authority, entry)))
    if head.summary:
        parts.append(_element("summary", summary_of(entry), ' type="text"'))
    else:
        parts.append(_element("content", entry.content, ' type="html"'))
    parts.append(_links(entry, head, rss=False))
    parts.extend(f"<category term={_attr(name)}/>" for name in entry.categories)
    parts.append("</entry>")
    return "".join(parts)


def _atom(channel: Channel, entries: Sequence[Entry], head: Head) -> str:
    site, link = head.site, head.site.absolute(channel.link)
    lang = f" xml:lang={_attr(head.language)}" if head.language is not None else ""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f"<feed{lang} xmlns={_attr(_ATOM_NS)}>",
        _element("title", channel.title),
        f'<link href={_attr(iri(link))} rel="alternate" type="text/html"/>',
        f'<link href={_attr(head.feed_url)} rel="self" type="application/atom+xml"/>',
        *_paging(head, "", "application/atom+xml"),
        _element("id", iri(site.absolute(channel.feed_path))),
        _element("updated", rfc3339_date(head.updated)),
        f"<author>{_element('name', channel.author)}</author>",
    ]
    if head.archived:
        parts.append(_ARCHIVED)
    if channel.subtitle:
        parts.append(_element("subtitle", channel.subtitle))
    parts.extend(_atom_entry(entry, head) for entry in entries)
    parts.append("</feed>")
    return "".join(parts)


def _rss(channel: Channel, entries: Sequence[Entry], head: Head) -> str:
    site = head.site
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<rss version="2.0" xmlns:atom="{_ATOM_NS}" xmlns:dc="{_DC}"><channel>',
        _element("title", channel.title),
        _element("link", iri(site.absolute(channel.link))),
        _element("description", channel.description or channel.title),
        f'<atom:link href={_attr(head.feed_url)} rel="self" type="application/rss+xml"/>',
        *_paging(head, "atom:", "application/rss+xml"),
    ]
    if head.archived:
        parts.append(_ARCHIVED)
    if head.language is not None:
        parts.append(_element("language", head.language))
    parts.append(_element("lastBuildDate", rfc2822_date(head.updated)))
    for entry in entries:
        parts.append("<item>")
        parts.append(_element("title", entry.title))
        parts.append(_element("link", iri(site.absolute(entry.link))))
        body = summary_of(entry) if head.summary else _body(entry, rss=True)
        parts.append(_element("description", body))
        parts.append(_element("dc:creator", entry.author or channel.author))
        parts.append(_element("pubDate", rfc2822_date(entry.published)))
        parts.append(_element("guid", tag_uri(head.authority, entry), ' isPermaLink="false"'))
        parts.extend(_element("category", name) for name in entry.categories)
        parts.append(_links(entry, head, rss=True))
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts)


def feed_response(
    request: HttpRequest, content: FeedContent, head: Head, rss: bool
) -> HttpResponse:
    """The feed (Atom, an Atom entry document for one entry, or RSS) with its content type
    and a Last-Modified header: its newest entry's date (the page cache, when on, puts the
    content version's time in its place and answers 304 by ETag; the mirror's files carry
    their own time)."""
    if rss:
        document, content_type = _rss(content.channel, content.entries, head), _RSS_TYPE
    elif content.single:
        entry = _atom_entry(content.entries[0], head, _ATOM_NS, content.channel.author)
        document, content_type = entry, _ATOM_ENTRY_TYPE
    else:
        document, content_type = _atom(content.channel, content.entries, head), _ATOM_TYPE
    body = document.encode("utf-8", "xmlcharrefreplace")
    if _has_control_chars(body):  # rare (module docstring)
        body = strip_control_chars(document).encode("utf-8", "xmlcharrefreplace")
    response = HttpResponse(body, content_type=content_type)
    response.headers["Last-Modified"] = http_date(head.updated.timestamp())
    return response
