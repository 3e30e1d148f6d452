"""Writer for WordPress eXtended RSS 1.2, so a Dateline blog can move to WordPress.

Streams item by item with `lxml.etree.xmlfile`. Fields WordPress has no
column for (our import id, path, old paths, source, lead image, updated time,
Markdown bodies) travel as `_dateline_*` post meta, which WordPress keeps as
hidden custom fields and our reader reads back, so a round trip is exact.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import IO
from urllib.parse import quote

from lxml import etree

from .common import format_iso, misplaced_site, split_site, xml_text
from .identity import wxr_blog_key, wxr_import_id
from .records import CommentRecord, PostRecord, Record, SiteRecord
from .wordpress import META_PREFIX

WP_NS = "http://wordpress.org/export/1.2/"
WP = f"{{{WP_NS}}}"
NSMAP = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": WP_NS,
}
FOREIGN_ID_BASE = 100_000_000  # ids for records from other systems, clear of WordPress's own
NEVER = "0000-00-00 00:00:00"
WXR_NUMBER = re.compile(r"wxr:(?:.+/)?(\d+)")
COMMENT_APPROVED = {"approved": "1", "pending": "0", "spam": "spam", "removed": "trash"}


def _add(parent: etree._Element, tag: str, text: str = "", cdata: bool = False, **attrs: str):
    elem = etree.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    text = xml_text(text)
    # CDATA cannot hold "]]>"; lxml refuses it, so such text is escaped instead.
    elem.text = etree.CDATA(text) if cdata and text and "]]>" not in text else text
    return elem


def _exact_time(value: datetime | None) -> str:
    """A time WXR's whole seconds would cut, in full; "" when they would not."""
    return format_iso(value) if value is not None and value.microsecond else ""


def _wp_date(value: datetime | None) -> str:
    if value is None:
        return NEVER
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _nicename(label: str) -> str:
    return quote("-".join(label.lower().split()), safe="-")


class _Ids:
    """Numeric WordPress ids for import ids: a WordPress post or comment keeps its number
    (unless another blog's record took it first), anything else gets a fresh one.

    `derived` is the id our reader will give an item or comment of this file;
    where the record's import id differs, it travels as `_dateline_import_id`.
    """

    def __init__(self, blog: str) -> None:
        self.blog = blog
        self.next_foreign = FOREIGN_ID_BASE
        self.posts: dict[str, int] = {}
        self.comments: dict[str, int] = {}
        self.used_posts: set[int] = set()
        self.used_comments: set[int] = set()

    def _number(self, wanted: str, used: set[int]) -> int:
        if wanted.isdigit() and int(wanted) < FOREIGN_ID_BASE and int(wanted) not in used:
            number = int(wanted)
        else:
            self.next_foreign += 1
            number = self.next_foreign
        used.add(number)
        return number

    def post(self, import_id: str) -> int:
        wanted = WXR_NUMBER.fullmatch(import_id)
        number = self._number(wanted.group(1) if wanted else "", self.used_posts)
        self.posts[import_id] = number
        return number

    def comment(self, c: CommentRecord) -> int:
        post, _, wanted = c.import_id.rpartition(":c")
        number = self._number(wanted if post == c.post_import_id else "", self.used_comments)
        self.comments[c.import_id] = number
        return number

    def derived_post(self, number: int) -> str:
        return wxr_import_id(self.blog, str(number))


def _meta(parent: etree._Element, tag: str, key: str, value: str) -> None:
    meta = _add(parent, WP + tag)
    _add(meta, WP + "meta_key", META_PREFIX + key)
    _add(meta, WP + "meta_value", value, cdata=True)


def _post_meta(item: etree._Element, post: PostRecord, derived_id: str) -> None:
    fields = {
        "import_id": "" if post.import_id == derived_id else post.import_id,
        "path": post.path,
        "updated": format_iso(post.updated) if post.updated else "",
        "published": _exact_time(post.published),
        "markdown": post.body if post.body_format == "markdown" else "",
        "source_url": post.source_url,
        "source_name": post.source_name,
        "lead_image": post.lead_image,
        "lead_image_caption": post.lead_image_caption,
        # dc:creator is the login; the display name and e-mail travel beside it
        "author_login": post.author_login,
        "author_name": post.author_name if post.author_login else "",
        "author_email": post.author_email,
    }
    for key, value in fields.items():
        if value:
            _meta(item, "postmeta", key, value)
    _meta(item, "postmeta", "old_paths", "\n".join(post.old_paths))


def _wp_status(post: PostRecord, now: datetime) -> str:
    if post.status == "draft":
        return "draft"
    return "future" if post.published and post.published > now else "publish"


def _item(post: PostRecord, ids: _Ids, base_url: str, now: datetime) -> etree._Element:
    post_id = ids.post(post.import_id)
    item = etree.Element("item", nsmap=NSMAP)
    link = (post.old_paths[0] if post.old_paths else post.path) or f"/?p={post_id}"
    _add(item, "title", post.title)
    _add(item, "link", base_url + link)
    if post.published:
        _add(item, "pubDate", format_datetime(post.published.astimezone(UTC), usegmt=True))
    _add(item, f"{{{NSMAP['dc']}}}creator", post.author_login or post.author_name, cdata=True)
    _add(item, "guid", f"{base_url}/?p={post_id}", isPermaLink="false")
    _add(item, "description")
    _add(item, f"{{{NSMAP['content']}}}encoded", post.body_html or post.body, cdata=True)
    _add(item, f"{{{NSMAP['excerpt']}}}encoded", post.excerpt, cdata=True)
    for name, value in [
        ("post_id", str(post_id)),
        ("post_date", _wp_date(post.published)),
        ("post_date_gmt", _wp_date(post.published)),
        ("comment_status", "open"),
        ("ping_status", "open"),
        ("post_name", post.slug),
        ("status", _wp_status(post, now)),
        ("post_parent", "0"),
        ("menu_order", "0"),
        ("post_type", post.kind),
        ("post_password", ""),
        ("is_sticky", "0"),
    ]:
        _add(item, WP + name, value)
    for label in post.labels:
        _add(item, "category", label, cdata=True, domain="post_tag", nicename=_nicename(label))
    _post_meta(item, post, ids.derived_post(post_id))
    return item


def _comment(item: etree._Element, c: CommentRecord, ids: _Ids) -> None:
    comment_id = ids.comment(c)
    elem = _add(item, WP + "comment")
    for name, value, cdata in [
        ("comment_id", str(comment_id), False),
        ("comment_author", c.author_name, True),
        ("comment_author_email", c.author_email, False),
        ("comment_author_url", c.author_url, False),
        ("comment_author_IP", "", False),
        ("comment_date", _wp_date(c.published), False),
        ("comment_date_gmt", _wp_date(c.published), False),
        ("comment_content", c.body, True),
        ("comment_approved", COMMENT_APPROVED[c.status], False),
        ("comment_type", "", False),
        ("comment_parent", str(ids.comments.get(c.parent_import_id, 0)), False),
        ("comment_user_id", "0", False),
    ]:
        _add(elem, WP + name, value, cdata=cdata)
    derived = f"{ids.derived_post(ids.posts[c.post_import_id])}:c{comment_id}"
    if c.import_id != derived:
        _meta(elem, "commentmeta", "import_id", c.import_id)
    if exact := _exact_time(c.published):
        _meta(elem, "commentmeta", "published", exact)


def group_comments(records: Iterable[Record]) -> Iterator[Record]:
    """Reorder any stream so each post is followed by its comments (holds comments in memory).

    `write_wxr` needs that order because WXR nests comments in their post.
    """
    posts: list[Record] = []
    comments: dict[str, list[CommentRecord]] = {}
    for record in records:
        if isinstance(record, CommentRecord):
            comments.setdefault(record.post_import_id, []).append(record)
        else:
            posts.append(record)
    for record in posts:
        yield record
        if isinstance(record, PostRecord):
            yield from comments.pop(record.import_id, [])


def _channel(site: SiteRecord | None, base_url: str, now: datetime) -> list[etree._Element]:
    elements = []
    for tag, value in [
        ("title", site.title if site else ""),
        ("link", base_url),
        ("description", site.description if site else ""),
        ("pubDate", format_datetime(now, usegmt=True)),
        ("generator", "Dateline"),
        (WP + "wxr_version", "1.2"),
        (WP + "base_site_url", base_url),
        (WP + "base_blog_url", base_url),
    ]:
        elem = etree.Element(tag, nsmap={"wp": WP_NS} if tag.startswith(WP) else None)
        elem.text = xml_text(value)
        elements.append(elem)
    return elements + _tags(site)


def _tags(site: SiteRecord | None) -> list[etree._Element]:
    """Every label as a WordPress tag, with the old addresses of its page as term meta
    (which our reader takes instead of making WordPress's own)."""
    if site is None:
        return []
    old_paths: dict[str, list[str]] = {}
    for old, name in site.label_paths:
        old_paths.setdefault(name, []).append(old)
    elements = []
    for number, name in enumerate(site.labels, start=1):
        tag = etree.Element(WP + "tag", nsmap={"wp": WP_NS})
        _add(tag, WP + "term_id", str(number))
        _add(tag, WP + "tag_slug", _nicename(name))
        _add(tag, WP + "tag_name", name, cdata=True)
        _meta(tag, "termmeta", "old_paths", "\n".join(old_paths.get(name, [])))
        elements.append(tag)
    return elements


def write_wxr(
    records: Iterable[Record],
    out: str | os.PathLike[str] | IO[bytes],
    *,
    base_url: str = "http://localhost",
    generated: datetime | None = None,
) -> Counter[str]:
    """Write records as WXR 1.2; return counts of posts, pages and comments written.

    A SiteRecord, if any, comes first and each post must be followed by its
    comments (`group_comments` reorders any stream). `generated` pins the
    export time, which also decides whether a future post is "future".
    """
    now = generated or datetime.now(UTC)
    base_url = base_url.rstrip("/")
    site, stream = split_site(records)
    ids, counts = _Ids(wxr_blog_key(base_url)), Counter[str]()
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("rss", {"version": "2.0"}, nsmap=NSMAP), xf.element("channel"):
            xf.write(*_channel(site, base_url, now))
            current: etree._Element | None = None
            for record in stream:
                if isinstance(record, SiteRecord):
                    raise misplaced_site()
                if isinstance(record, PostRecord):
                    if current is not None:
                        xf.write(current)
                    current = _item(record, ids, base_url, now)
                    counts[f"{record.kind}s"] += 1
                    continue
                if current is None or ids.posts.get(record.post_import_id) != _current_id(current):
                    raise ValueError(
                        f"comment {record.import_id} does not follow its post; "
                        "pass the records through group_comments()"
                    )
                _comment(current, record, ids)
                counts["comments"] += 1
            if current is not None:
                xf.write(current)
    return counts


def _current_id(item: etree._Element) -> int:
    return int(item.findtext(WP + "post_id") or 0)
