"""The W3C feed validator's rules that our feeds could break, checked on a feed's bytes.

The validator (validator.w3.org/feed) is not installable here (not on PyPI), so each rule
it reported against the demo, and each neighbouring one it applies to what our feeds
hold, is written down: `problems()` lists every broken rule, with where, and feedparser
must read the feed without calling it ill-formed (no bozo).
"""

import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import unquote, urlsplit

import feedparser
from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
# RFC 4151: tag:authorityName,date:specific, the name a DNS name or an e-mail address,
# the date YYYY, YYYY-MM or YYYY-MM-DD; the specific part URI characters only.
_DNS = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
TAG_URI = re.compile(
    rf"tag:(?:[\w.!#$%&'*+/=?^`{{|}}~-]+@)?{_DNS},"
    r"(?P<date>\d{4}(?:-\d{2}(?:-\d{2})?)?):"
    r"[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*"
)
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})")
MIME = re.compile(r"[a-z]+/[a-z0-9.+-]+")


def is_absolute(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def _same(url: str | None) -> str:
    """A URL as a server reads it: the path's %-escapes decoded (a path reaches the view
    decoded, so rel=self spells `&` in a label's name as `&` where the reader sent `%26`)."""
    parts = urlsplit(url or "")
    return parts._replace(path=unquote(parts.path)).geturl()


def _date_ok(text: str | None) -> bool:
    if not text or not RFC3339.fullmatch(text):
        return False
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _tag_ok(text: str | None) -> bool:
    found = TAG_URI.fullmatch(text or "")
    if not found:
        return False
    date = found.group("date")
    try:
        datetime.strptime(date, {4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d"}[len(date)])
    except ValueError:
        return False
    return True


def _atom(root, url: str) -> list[str]:
    found = []
    if root.tag != f"{ATOM}feed":
        return [f"root is {root.tag}, not an Atom feed"]
    for name in ("id", "title", "updated"):
        if len(root.findall(f"{ATOM}{name}")) != 1:
            found.append(f"feed: needs exactly one <{name}>")
    if not is_absolute(root.findtext(f"{ATOM}id")):
        found.append("feed: <id> is not an absolute URL")
    if not _date_ok(root.findtext(f"{ATOM}updated")):
        found.append("feed: <updated> is not an RFC 3339 date")
    feed_author = [a.findtext(f"{ATOM}name") for a in root.findall(f"{ATOM}author")]
    if any(not (name or "").strip() for name in feed_author):
        found.append("feed: an <author> without a <name>")
    links = root.findall(f"{ATOM}link")
    selves = [link for link in links if link.get("rel") == "self"]
    if [_same(link.get("href")) for link in selves] != [_same(url)]:
        found.append(f"feed: rel=self is {[s.get('href') for s in selves]}, not {url}")
    if any(link.get("type") != "application/atom+xml" for link in selves):
        found.append("feed: rel=self without type application/atom+xml")
    alternates = [link for link in links if link.get("rel", "alternate") == "alternate"]
    if len(alternates) != 1 or not is_absolute(alternates[0].get("href")):
        found.append("feed: needs one absolute rel=alternate link")
    ids = set()
    for n, entry in enumerate(root.findall(f"{ATOM}entry")):
        where = f"entry {n}"
        for name in ("id", "title", "updated"):
            if len(entry.findall(f"{ATOM}{name}")) != 1:
                found.append(f"{where}: needs exactly one <{name}>")
        entry_id = entry.findtext(f"{ATOM}id")
        if not _tag_ok(entry_id):
            found.append(f"{where}: id {entry_id!r} is not an RFC 4151 tag URI")
        if entry_id in ids:
            found.append(f"{where}: id {entry_id!r} is used twice")
        ids.add(entry_id)
        for name in ("updated", "published"):
            text = entry.findtext(f"{ATOM}{name}")
            if text is not None and not _date_ok(text):
                found.append(f"{where}: <{name}> {text!r} is not an RFC 3339 date")
        authors = [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")]
        if not authors and not feed_author:
            found.append(f"{where}: no author, and the feed has none")
        if any(not (name or "").strip() for name in authors):
            found.append(f"{where}: an <author> without a <name>")
        content = entry.find(f"{ATOM}content")
        if content is not None and content.get("type") not in ("html", "text", "xhtml"):
            found.append(f"{where}: <content> of type {content.get('type')!r}")
        entry_links = entry.findall(f"{ATOM}link")
        if content is None and not any(
            link.get("rel", "alternate") == "alternate" for link in entry_links
        ):
            found.append(f"{where}: neither <content> nor a rel=alternate link")
        for link in entry_links:
            if not is_absolute(link.get("href")):
                found.append(f"{where}: link {link.get('href')!r} is not absolute")
            if link.get("rel") == "enclosure" and not (
                (link.get("length") or "").isdigit() and MIME.fullmatch(link.get("type") or "")
            ):
                found.append(f"{where}: an enclosure needs a length in bytes and a type")
    return found


def _rss(root, url: str) -> list[str]:
    found = []
    channel = root.find("channel")
    if root.tag != "rss" or root.get("version") != "2.0" or channel is None:
        return ["not an RSS 2.0 document"]
    for name in ("title", "link", "description"):
        if not (channel.findtext(name) or "").strip():
            found.append(f"channel: needs a non-empty <{name}>")
    if not is_absolute(channel.findtext("link")):
        found.append("channel: <link> is not absolute")
    selves = [link for link in channel.findall(f"{ATOM}link") if link.get("rel") == "self"]
    if [_same(link.get("href")) for link in selves] != [_same(url)]:
        found.append(f"channel: atom:link rel=self is {[s.get('href') for s in selves]}")
    if any(link.get("type") != "application/rss+xml" for link in selves):
        found.append("channel: atom:link rel=self without type application/rss+xml")
    for name in ("lastBuildDate", "pubDate"):
        text = channel.findtext(name)
        if text is not None:
            parsedate_to_datetime(text)  # raises on a date RFC 822 does not allow
    guids = set()
    for n, item in enumerate(channel.findall("item")):
        where = f"item {n}"
        if item.find("title") is None and item.find("description") is None:
            found.append(f"{where}: needs a title or a description")
        if not is_absolute(item.findtext("link")):
            found.append(f"{where}: <link> is not absolute")
        guid = item.find("guid")
        if guid is None or guid.get("isPermaLink") != "false" or not _tag_ok(guid.text):
            found.append(f"{where}: guid is not a tag URI marked isPermaLink=false")
        elif guid.text in guids:
            found.append(f"{where}: guid used twice")
        else:
            guids.add(guid.text)
        try:
            parsedate_to_datetime(item.findtext("pubDate") or "")
        except (TypeError, ValueError):
            found.append(f"{where}: pubDate is not an RFC 822 date")
        if item.find("author") is not None:  # RSS's <author> is an e-mail address
            found.append(f"{where}: <author> (an e-mail address) where dc:creator belongs")
        creators = item.findall(f"{DC}creator")
        if any(not (creator.text or "").strip() for creator in creators):
            found.append(f"{where}: an empty dc:creator")
        for source in item.findall("source"):  # the RSS channel an item came from
            if not is_absolute(source.get("url")):
                found.append(f"{where}: <source> without its channel's url")
        for enclosure in item.findall("enclosure"):
            if not (
                is_absolute(enclosure.get("url"))
                and (enclosure.get("length") or "").isdigit()
                and MIME.fullmatch(enclosure.get("type") or "")
            ):
                found.append(f"{where}: an enclosure needs a url, a length and a type")
    return found


def problems(body: bytes, url: str) -> list[str]:
    """Every rule `body`, fetched from the absolute `url`, breaks ([]: none)."""
    try:
        root = etree.fromstring(body)
    except etree.XMLSyntaxError as error:
        return [f"not well-formed XML: {error}"]
    parsed = feedparser.parse(body)
    found = [f"feedparser: {parsed.get('bozo_exception')}"] if parsed.bozo else []
    return found + (_rss(root, url) if root.tag == "rss" else _atom(root, url))
