"""Writer for Blogger's legacy Atom export, the format Blogger itself imports.

Streams with `lxml.etree.xmlfile`, so a large blog is written in bounded
memory. The excerpt travels as Atom's `<summary>`; what Blogger has no place
for (source, lead image, old addresses, an undated draft, a Markdown body's
source beside its HTML) as `dateline:meta`
elements, which Atom readers ignore and our reader reads back. Only approved
comments are written: Blogger has no way to mark a comment pending or spam,
and publishing those would be worse than leaving them out (they are counted
as skipped).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import IO

from lxml import etree

from .common import ATOM_NS, atom_id, format_iso, misplaced_site, split_site, xml_text
from .records import CommentRecord, PostRecord, Record, SiteRecord

A = f"{{{ATOM_NS}}}"
APP_NS = "http://purl.org/atom/app#"
THR_NS = "http://purl.org/syndication/thread/1.0"
DATELINE_NS = "urn:x-dateline:blogger-extension"
DATELINE_META = f"{{{DATELINE_NS}}}meta"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
KIND = "http://schemas.google.com/blogger/2008/kind#"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
NSMAP = {None: ATOM_NS, "app": APP_NS, "thr": THR_NS}
ENTRY_NSMAP = {None: ATOM_NS}  # entries are written one by one and declare what they use


def _add(parent: etree._Element, tag: str, text: str = "", **attrs: str) -> etree._Element:
    nsmap = {"app": APP_NS} if tag.startswith(f"{{{APP_NS}}}") else None
    if tag.startswith(f"{{{THR_NS}}}"):
        nsmap = {"thr": THR_NS}
    if tag.startswith(f"{{{DATELINE_NS}}}"):
        nsmap = {"dateline": DATELINE_NS}
    elem = etree.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()}, nsmap=nsmap)
    if text:
        elem.text = xml_text(text)
    return elem


def _entry(
    atomid: str, kind: str, published: datetime | None, updated: datetime | None
) -> etree._Element:
    entry = etree.Element(f"{A}entry", nsmap=ENTRY_NSMAP)
    _add(entry, f"{A}id", atomid)
    if published is not None:
        _add(entry, f"{A}published", format_iso(published))
    if updated is not None:
        _add(entry, f"{A}updated", format_iso(updated))
    _add(entry, f"{A}category", scheme=KIND_SCHEME, term=KIND + kind)
    return entry


def _settings(site: SiteRecord, blog_id: str, when: datetime) -> list[etree._Element]:
    values = {
        "BLOG_NAME": site.title,
        "BLOG_DESCRIPTION": site.description,
        "BLOG_COMMENT_ACCESS": "ANYONE" if site.comments_allowed else "NONE",
    }
    entries = []
    for key, value in values.items():
        entry = _entry(
            f"tag:blogger.com,1999:blog-{blog_id}.settings.{key}", "settings", when, when
        )
        _add(entry, f"{A}title", key, type="text")
        _add(entry, f"{A}content", value, type="text")
        entries.append(entry)
    return entries


def _extras(entry: etree._Element, post: PostRecord) -> None:
    """What Blogger has no field for, as `dateline:meta` (readers ignore foreign markup)."""
    fields = {
        "source_url": post.source_url,
        "source_name": post.source_name,
        "lead_image": post.lead_image,
        "lead_image_caption": post.lead_image_caption,
        "old_paths": "\n".join(post.old_paths),
        "markdown": post.body if post.body_format == "markdown" else "",
        "undated": "yes" if post.published is None else "",
        "author_login": post.author_login,
    }
    for name, value in fields.items():
        if value:
            _add(entry, DATELINE_META, value, name=name)


def _post(post: PostRecord, base_url: str, when: datetime) -> etree._Element:
    # Atom requires <published> (Pelican's importer fails without it): an undated draft
    # gets its last change, marked "undated" so our reader keeps it undated.
    published = post.published or post.updated or when
    entry = _entry(atom_id(post.import_id), post.kind, published, post.updated)
    if post.status == "draft":
        control = _add(entry, f"{{{APP_NS}}}control")
        _add(control, f"{{{APP_NS}}}draft", "yes")
    for label in post.labels:
        _add(entry, f"{A}category", scheme=LABEL_SCHEME, term=label)
    _add(entry, f"{A}title", post.title, type="text")
    _add(entry, f"{A}content", post.body_html or post.body, type="html")
    if post.excerpt:
        _add(entry, f"{A}summary", post.excerpt, type="text")
    _extras(entry, post)
    if post.path:
        _add(
            entry,
            f"{A}link",
            rel="alternate",
            type="text/html",
            href=base_url + post.path,
            title=post.title,
        )
    author = _add(entry, f"{A}author")
    _add(author, f"{A}name", post.author_name)
    if post.author_email:
        _add(author, f"{A}email", post.author_email)
    return entry


def _comment(c: CommentRecord, blog_id: str, base_url: str, post_path: str) -> etree._Element:
    entry = _entry(atom_id(c.import_id), "comment", c.published, c.published)
    _add(entry, f"{A}title", " ".join(c.body.split())[:40], type="text")
    _add(entry, f"{A}content", c.body, type="html")
    post_ref = atom_id(c.post_import_id)
    if c.parent_import_id:
        parent = atom_id(c.parent_import_id).rsplit(".post-", 1)[-1]
        post = post_ref.rsplit(".post-", 1)[-1]
        href = f"{base_url}/feeds/{blog_id}/{post}/comments/default/{parent}"
        _add(entry, f"{A}link", rel="related", type="application/atom+xml", href=href)
    author = _add(entry, f"{A}author")
    _add(author, f"{A}name", c.author_name)
    if c.author_url:
        _add(author, f"{A}uri", c.author_url)
    if c.author_email:
        _add(author, f"{A}email", c.author_email)
    _add(
        entry, f"{{{THR_NS}}}in-reply-to", ref=post_ref, href=base_url + post_path, type="text/html"
    )
    return entry


def write_blogger(
    records: Iterable[Record],
    out: str | os.PathLike[str] | IO[bytes],
    *,
    blog_id: str = "0",
    base_url: str = "",
    generated: datetime | None = None,
) -> Counter[str]:
    """Write records as a legacy Blogger export; return counts written and skipped.

    A SiteRecord, if any, must come first. `base_url` prefixes paths in links
    (`https://example.blogspot.com`); `generated` pins the feed's time for
    reproducible output.
    """
    when = generated or datetime.now(UTC)
    site, stream = split_site(records)
    counts: Counter[str] = Counter()
    paths: dict[str, str] = {}
    dropped: set[str] = set()
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(f"{A}feed", nsmap=NSMAP):
            xf.write(*_header(site, blog_id, when))
            for entry in _settings(site, blog_id, when) if site else ():
                xf.write(entry)
            for record in stream:
                entry = _record(record, blog_id, base_url, when, paths, dropped, counts)
                if entry is not None:
                    xf.write(entry)
    return counts


def _header(site: SiteRecord | None, blog_id: str, when: datetime) -> list[etree._Element]:
    values = [
        ("id", f"tag:blogger.com,1999:blog-{blog_id}"),
        ("updated", format_iso(when)),
        ("title", site.title if site else ""),
        ("generator", "Dateline"),
    ]
    elements = []
    for name, value in values:
        elem = etree.Element(f"{A}{name}", nsmap=ENTRY_NSMAP)
        elem.text = xml_text(value)
        elements.append(elem)
    return elements


def _record(
    record: Record,
    blog_id: str,
    base_url: str,
    when: datetime,
    paths: dict[str, str],
    dropped: set[str],
    counts: Counter[str],
) -> etree._Element | None:
    if isinstance(record, SiteRecord):
        raise misplaced_site()
    if isinstance(record, PostRecord):
        paths[record.import_id] = record.path
        counts[f"{record.kind}s"] += 1
        return _post(record, base_url, when)
    if record.status != "approved":
        dropped.add(record.import_id)
        counts[f"skipped {record.status} comment"] += 1
        return None
    if record.parent_import_id in dropped:
        record = replace(record, parent_import_id="")
    counts["comments"] += 1
    return _comment(record, blog_id, base_url, paths.get(record.post_import_id, ""))
