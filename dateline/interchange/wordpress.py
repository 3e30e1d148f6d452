"""Reader for WordPress eXtended RSS (WXR 1.0-1.2), the file Tools → Export writes.

Posts and pages become PostRecords (attachments, menus and other post types
are skipped and counted), categories and tags both become labels, the old
permalink becomes an `old_paths` redirect, and nested `wp:comment`s keep
their approval state and threading. `_dateline_*` post meta, written by our
own WXR writer, carries the fields WordPress has no place for.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from urllib.parse import unquote

from lxml import etree

from .common import parse_iso, scrub, unique_labels, url_path
from .errors import EntryProblems, ImportFileError, values_checked
from .identity import wxr_blog_key, wxr_import_id
from .records import CommentRecord, CommentStatus, PostRecord, PostStatus, Record
from .threads import ON_SKIPPED, ThreadOrder
from .wp_attachments import read_attachments
from .wp_bodies import Attachment, wordpress_body
from .wp_terms import TERM_TAGS, Terms
from .xmlsafe import Source, iter_elements, source_name

WP_VERSIONS = ("1.0", "1.1", "1.2")
# WordPress writes http://; its own theme unit test data says https://. Both are WXR.
WP_NAMESPACES = tuple(
    f"{scheme}://wordpress.org/export/{v}/" for v in WP_VERSIONS for scheme in ("http", "https")
)
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
META_PREFIX = "_dateline_"
STATUS: dict[str, PostStatus] = {"publish": "published", "future": "published"}
SKIPPED_STATUSES = {"trash", "auto-draft", "inherit"}
LABEL_DOMAINS = {"category", "post_tag", None}
BLOG_URL_TAGS = ("base_blog_url", "base_site_url")  # in the order they name the blog
COMMENT_STATUS: dict[str, CommentStatus] = {
    "1": "approved",
    "0": "pending",
    "spam": "spam",
    "trash": "removed",
    "post-trashed": "removed",
}


Authors = dict[str, tuple[str, str]]  # login → (display name, e-mail), from wp:author


class _Item:
    """Field access on one `item`, whatever WXR version its namespace says."""

    def __init__(
        self, elem: etree._Element, wp: str, attachments: Mapping[str, Attachment] | None = None
    ) -> None:
        self.elem = elem
        self.attachments = attachments or {}
        self.wp = f"{{{wp}}}"
        excerpt = elem.nsmap.get("excerpt") or f"{wp}excerpt/"
        self.excerpt = f"{{{excerpt}}}encoded"

    def wp_text(self, name: str, elem: etree._Element | None = None) -> str:
        return ((elem if elem is not None else self.elem).findtext(self.wp + name) or "").strip()

    def raw_meta(self, key: str) -> str:
        """One post meta value WordPress itself writes (`_thumbnail_id`, say)."""
        for meta in self.elem.iterchildren(self.wp + "postmeta"):
            if self.wp_text("meta_key", meta) == key:
                return (meta.findtext(self.wp + "meta_value") or "").strip()
        return ""

    def meta(self, elem: etree._Element, tag: str) -> dict[str, str]:
        return {
            self.wp_text("meta_key", m): m.findtext(self.wp + "meta_value") or ""
            for m in elem.iterchildren(self.wp + tag)
            if self.wp_text("meta_key", m).startswith(META_PREFIX)
        }


def wxr_date(value: str | None) -> datetime | None:
    """WXR's `YYYY-MM-DD HH:MM:SS` (UTC for the _gmt fields); zeros mean "never"."""
    value = (value or "").strip()
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        raise ValueError(f"{value[:40]!r} is not a date and time") from None


def _dates(item: _Item, prefix: str) -> datetime | None:
    """The GMT time, else the local one taken as UTC (WXR does not carry the zone)."""
    return wxr_date(item.wp_text(f"{prefix}_gmt")) or wxr_date(item.wp_text(prefix))


def _namespace(elem: etree._Element, file: str) -> str:
    """The WXR namespace the item is in; none known is said as such, not as a missing field."""
    for uri in elem.nsmap.values():
        if uri in WP_NAMESPACES:
            return uri
    declared = ", ".join(sorted(u for u in elem.nsmap.values() if "wordpress.org" in u))
    raise ImportFileError(
        f"no WordPress export namespace this reader knows (http(s)://wordpress.org/export/"
        f"1.0/ to 1.2/) is declared{f'; the file declares {declared}' if declared else ''}",
        file=file,
        line=elem.sourceline,
    )


def _labels(elem: etree._Element) -> tuple[str, ...]:
    return unique_labels(
        c.text or "" for c in elem.iterchildren("category") if c.get("domain") in LABEL_DOMAINS
    )


def _post(item: _Item, import_id: str, status: PostStatus, authors: Authors) -> PostRecord:
    meta = item.meta(item.elem, "postmeta")
    link = url_path(item.elem.findtext("link"))
    if f"{META_PREFIX}old_paths" in meta:
        old_paths = tuple(p for p in meta[f"{META_PREFIX}old_paths"].split("\n") if p)
    else:
        old_paths = (link,) if link and status == "published" else ()
    creator = (item.elem.findtext(DC_CREATOR) or "").strip()
    known = creator in authors  # a login the channel's wp:author names
    display, email = authors.get(creator, (creator, ""))
    # `_dateline_markdown` holds the source of a body written as HTML; older exports
    # wrote the Markdown itself and said so in `_dateline_body_format`.
    markdown = f"{META_PREFIX}markdown" in meta
    markdown = markdown or meta.get(f"{META_PREFIX}body_format") == "markdown"
    body = item.elem.findtext(CONTENT) or ""
    lead_image = meta.get(f"{META_PREFIX}lead_image", "")
    lead_caption = meta.get(f"{META_PREFIX}lead_image_caption", "")
    if not meta:  # written by WordPress, not by our own export (which always writes meta)
        body = wordpress_body(body, item.wp_text("post_id"), item.attachments)
        if featured := item.attachments.get(item.raw_meta("_thumbnail_id")):
            lead_image, lead_caption = featured.url, featured.caption
    return PostRecord(
        import_id=import_id,
        title=(item.elem.findtext("title") or "").strip(),
        body=meta.get(f"{META_PREFIX}markdown", body),
        body_format="markdown" if markdown else "html",
        kind="page" if item.wp_text("post_type") == "page" else "post",
        status=status,
        published=parse_iso(meta.get(f"{META_PREFIX}published")) or _dates(item, "post_date"),
        updated=parse_iso(meta.get(f"{META_PREFIX}updated")) or _dates(item, "post_modified"),
        path=meta.get(f"{META_PREFIX}path", ""),
        slug=unquote(item.wp_text("post_name")),
        labels=_labels(item.elem),
        author_name=meta.get(f"{META_PREFIX}author_name") or display,
        author_login=meta.get(f"{META_PREFIX}author_login") or (creator if known else ""),
        author_email=meta.get(f"{META_PREFIX}author_email") or email,
        excerpt=item.elem.findtext(item.excerpt) or "",
        lead_image=lead_image,
        lead_image_caption=lead_caption,
        source_url=meta.get(f"{META_PREFIX}source_url", ""),
        source_name=meta.get(f"{META_PREFIX}source_name", ""),
        old_paths=old_paths,
    )


def _comment_ids(item: _Item, post_id: str, blog: str) -> dict[str, str]:
    """WordPress comment id → our import id, for every comment of one item that has one."""
    ids: dict[str, str] = {}
    for elem in item.elem.iterchildren(item.wp + "comment"):
        if cid := item.wp_text("comment_id", elem):
            override = item.meta(elem, "commentmeta").get(f"{META_PREFIX}import_id")
            ids[cid] = override or f"{wxr_import_id(blog, post_id)}:c{cid}"
    return ids


def _comment(
    item: _Item, elem: etree._Element, ids: dict[str, str], post: str, file: str
) -> CommentRecord:
    cid = item.wp_text("comment_id", elem)
    if not cid:
        raise ImportFileError(
            "comment has no wp:comment_id", file=file, line=elem.sourceline, entry=post
        )
    import_id = ids[cid]
    exact = item.meta(elem, "commentmeta").get(f"{META_PREFIX}published")
    with values_checked(file, elem.sourceline, import_id):
        published = (
            parse_iso(exact)
            or wxr_date(item.wp_text("comment_date_gmt", elem))
            or wxr_date(item.wp_text("comment_date", elem))
        )
    if published is None:
        raise ImportFileError(
            "comment has no date", file=file, line=elem.sourceline, entry=import_id
        )
    parent = item.wp_text("comment_parent", elem)
    return CommentRecord(
        import_id=import_id,
        post_import_id=post,
        author_name=item.wp_text("comment_author", elem),
        body=elem.findtext(item.wp + "comment_content") or "",
        published=published,
        parent_import_id="" if parent in ("", "0") else ids.get(parent, f"{post}:c{parent}"),
        author_email=item.wp_text("comment_author_email", elem),
        author_url=item.wp_text("comment_author_url", elem),
        status=COMMENT_STATUS.get(item.wp_text("comment_approved", elem), "pending"),
    )


def _item_title(elem: etree._Element) -> str:
    return (elem.findtext("title") or "").strip() or "(untitled)"


def _post_records(
    item: _Item, import_id: str, file: str, order: ThreadOrder, authors: Authors
) -> Iterator[Record]:
    """The item's post, or its skip; an item that cannot be read is refused or listed."""
    post_type, wp_status = item.wp_text("post_type") or "post", item.wp_text("status")
    if post_type not in {"post", "page"}:
        yield from order.skip(import_id, f"{post_type} item")
        return
    if wp_status in SKIPPED_STATUSES:
        yield from order.skip(import_id, f"{post_type} with status {wp_status}")
        return
    status = STATUS.get(wp_status, "draft")
    try:
        with values_checked(file, item.elem.sourceline, import_id):
            record = _post(item, import_id, status, authors)
    except ImportFileError as error:
        yield from order.refuse(error, import_id)
        return
    if record.status == "published" and item.wp_text("post_password"):
        record = dataclasses.replace(record, status="draft")
        order.skipped["password-protected post kept as draft"] += 1
    yield from order.add_post(record, item.elem.sourceline)


def _item_records(
    item: _Item, file: str, order: ThreadOrder, authors: Authors, blog: str
) -> Iterator[Record]:
    post_id = item.wp_text("post_id")
    if not post_id:
        error = ImportFileError(
            "item has no wp:post_id",
            file=file,
            line=item.elem.sourceline,
            entry=_item_title(item.elem),
        )
        yield from order.refuse(error)
        for _comment_elem in item.elem.iterchildren(item.wp + "comment"):
            order.skipped[ON_SKIPPED] += 1
        return
    override = item.meta(item.elem, "postmeta").get(f"{META_PREFIX}import_id")
    import_id = override or wxr_import_id(blog, post_id)
    repeated = order.has(import_id)  # WordPress's importer skips it, comments and all
    yield from _post_records(item, import_id, file, order, authors)
    ids = _comment_ids(item, post_id, blog)
    for elem in item.elem.iterchildren(item.wp + "comment"):
        if repeated:
            order.skipped[ON_SKIPPED] += 1
            continue
        try:
            record = _comment(item, elem, ids, import_id, file)
        except ImportFileError as error:
            yield from order.refuse(error, ids.get(item.wp_text("comment_id", elem), ""))
            continue
        yield from order.add_comment(record, elem.sourceline)


def _hijacked(elem: etree._Element, file: str) -> ImportFileError | None:
    """An item that binds the `wp` prefix to another namespace (WordPress's importer tests
    this): its fields are not WordPress's, so it is skipped, not guessed at."""
    bound = elem.nsmap.get("wp")
    if bound is None or bound in WP_NAMESPACES:
        return None
    return ImportFileError(
        f"the item binds the wp prefix to {bound!r}, not to a WordPress export namespace",
        file=file,
        line=elem.sourceline,
        entry=_item_title(elem),
    )


def _channel_tags() -> set[str]:
    tags = {"item", "title", "description"}
    for ns in WP_NAMESPACES:
        tags.update(f"{{{ns}}}{name}" for name in ("author", *BLOG_URL_TAGS, *TERM_TAGS))
    return tags


def read_wxr(
    source: Source,
    *,
    skipped: Counter[str] | None = None,
    problems: EntryProblems | None = None,
) -> Iterator[Record]:
    """Yield the site, then posts and pages each followed by its comments.

    Skipped items (attachments, menu items, trashed posts) are counted in
    `skipped` by reason. Pingbacks and trackbacks are kept as comments: they
    are the record of who linked to the post. Ids name the blog given by the
    channel's `wp:base_blog_url` (else `wp:base_site_url`), which WordPress
    writes before the first item. An item or comment that cannot be read goes to
    `problems` (by default: refused with the file).
    """
    skipped = skipped if skipped is not None else Counter()
    file = source_name(source)
    order = ThreadOrder(file, skipped, problems)
    site = {"title": "", "description": ""}
    authors: Authors = {}
    blog_urls: dict[str, str] = {}
    site_sent = False
    terms = Terms()
    attachments = read_attachments(source)
    channel = iter_elements(
        source, _channel_tags(), roots={"rss"}, release_tags={"item"}, notes=skipped
    )
    for elem in channel:
        parent = elem.getparent()
        if elem.tag != "item":
            if parent is not None and parent.tag == "channel" and not terms.add(elem):
                _channel_field(elem, site, authors, blog_urls)
            continue
        if not site_sent:
            site_sent = True
            blog_url = next((blog_urls[t] for t in BLOG_URL_TAGS if t in blog_urls), "")
            blog = wxr_blog_key(blog_url)
            yield scrub(terms.site(site, blog_url))
        if hijack := _hijacked(elem, file):
            yield from order.refuse(hijack)
            continue
        item = _Item(elem, _namespace(elem, file), attachments)  # none: the file is not WXR
        yield from _item_records(item, file, order, authors, blog)
    if not site_sent:
        blog_url = next((blog_urls[t] for t in BLOG_URL_TAGS if t in blog_urls), "")
        yield scrub(terms.site(site, blog_url))
    yield from order.finish()


def _channel_field(
    elem: etree._Element, site: dict[str, str], authors: Authors, blog_urls: dict[str, str]
) -> None:
    if elem.tag in {"title", "description"}:
        site[elem.tag] = (elem.text or "").strip()
        return
    wp, _, name = elem.tag.rpartition("}")
    if name in BLOG_URL_TAGS:
        blog_urls[name] = (elem.text or "").strip()
        return
    wp += "}"
    login = (elem.findtext(wp + "author_login") or "").strip()
    display = (elem.findtext(wp + "author_display_name") or "").strip()
    full = " ".join(
        (elem.findtext(wp + f"author_{part}_name") or "").strip() for part in ("first", "last")
    ).strip()
    if login:
        email = (elem.findtext(wp + "author_email") or "").strip()
        authors[login] = (display or full or login, email)
