"""Reader for Blogger's 2018 Google Takeout export (`feed.atom`).

Each entry says what it is in `blogger:type` (POST, PAGE, COMMENT) and
`blogger:status` (LIVE, DRAFT, SOFT_TRASHED, DELETED, ...); an entry in the
bin may still say LIVE and carry the time it was binned in `blogger:trashed`,
which wins over its status (trash is never published). A comment names
what it answers in `blogger:parent`, which may be a post or another comment,
written as a full tag id or a bare number, and a reply its parent comment in
`blogger:inReplyTo`; threads do not depend on the order of the entries.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator

from lxml import etree

from .common import (
    ATOM_NS,
    blogger_blog_id,
    blogger_entry_id,
    blogger_import_id,
    blogger_path,
    parse_iso,
    scrub,
    slug_from_path,
    unique_labels,
)
from .errors import EntryProblems, ImportFileError
from .records import CommentRecord, CommentStatus, PostRecord, Record, SiteRecord
from .threads import ThreadOrder
from .xmlsafe import Source, iter_elements, source_name

TAKEOUT_NS = "http://schemas.google.com/blogger/2018"
A = f"{{{ATOM_NS}}}"
B = f"{{{TAKEOUT_NS}}}"
NOREPLY = "noreply@blogger.com"  # Blogger's placeholder: no one's address
TRASHED = {"SOFT_TRASHED", "DELETED", "TRASHED"}
PUBLISHED = {"LIVE", "SCHEDULED", ""}  # anything unknown stays a draft: never publish by guess
COMMENT_STATUS: dict[str, CommentStatus] = {
    "LIVE": "approved",
    "PUBLISHED": "approved",
    "DRAFT": "pending",
    "PENDING": "pending",
    "SPAM": "spam",
}


def _text(elem: etree._Element, tag: str) -> str:
    return elem.findtext(tag) or ""


def _post(entry: etree._Element, import_id: str, kind: str, status: str) -> PostRecord:
    path = blogger_path(_text(entry, f"{B}filename"))
    return PostRecord(
        import_id=import_id,
        title=_text(entry, f"{A}title").strip(),
        body=_text(entry, f"{A}content"),
        kind="page" if kind == "PAGE" else "post",
        status="published" if status in PUBLISHED else "draft",
        published=parse_iso(entry.findtext(f"{A}published"))
        or parse_iso(entry.findtext(f"{B}created")),
        updated=parse_iso(entry.findtext(f"{A}updated")),
        path=path,
        slug=slug_from_path(path) if path else "",
        labels=unique_labels(c.get("term", "") for c in entry.iterchildren(f"{A}category")),
        author_name=_text(entry, f"{A}author/{A}name").strip(),
        author_email=_author_email(entry),
    )


def _author_email(entry: etree._Element) -> str:
    email = _text(entry, f"{A}author/{A}email").strip()
    return "" if email == NOREPLY else email


def _comment(
    entry: etree._Element, import_id: str, status: str, file: str
) -> tuple[CommentRecord, str]:
    parent = _text(entry, f"{B}parent").strip()
    if not parent:
        raise ImportFileError(
            "comment has no blogger:parent naming what it answers",
            file=file,
            line=entry.sourceline,
            entry=import_id,
        )
    published = parse_iso(entry.findtext(f"{A}published")) or parse_iso(
        entry.findtext(f"{B}created")
    )
    if published is None:
        raise ImportFileError(
            "comment has no published time", file=file, line=entry.sourceline, entry=import_id
        )
    record = CommentRecord(
        import_id=import_id,
        post_import_id="",
        author_name=_text(entry, f"{A}author/{A}name").strip(),
        body=_text(entry, f"{A}content"),
        published=published,
        author_email=_text(entry, f"{A}author/{A}email").strip(),
        author_url=_text(entry, f"{A}author/{A}uri").strip(),
        status=COMMENT_STATUS.get(status, "pending"),
    )
    blog = blogger_blog_id(_text(entry, f"{A}id"))  # a bare parent number is in this blog
    if in_reply_to := _text(entry, f"{B}inReplyTo").strip():
        record = dataclasses.replace(record, parent_import_id=blogger_import_id(in_reply_to, blog))
    return record, blogger_import_id(parent, blog)


def read_blogger_takeout(
    source: Source,
    *,
    skipped: Counter[str] | None = None,
    problems: EntryProblems | None = None,
) -> Iterator[Record]:
    """Yield the site, posts, pages and comments of a Takeout `feed.atom`.

    Trashed and deleted entries are skipped and counted in `skipped` (with
    the comments on them); every comment comes after its post and parent.
    """
    skipped = skipped if skipped is not None else Counter()
    file = source_name(source)
    order = ThreadOrder(file, skipped, problems)
    site_sent = False
    tags = {f"{A}entry", f"{A}title", f"{A}subtitle"}
    site = {"title": "", "description": ""}
    entries = {f"{A}entry"}
    for elem in iter_elements(
        source, tags, roots={f"{A}feed"}, release_tags=entries, notes=skipped
    ):
        if elem.tag != f"{A}entry":
            if elem.getparent() is not None and elem.getparent().tag == f"{A}feed":
                site["title" if elem.tag == f"{A}title" else "description"] = (
                    elem.text or ""
                ).strip()
            continue
        if not site_sent:
            site_sent = True
            yield scrub(SiteRecord(**site))
        yield from order.entry(
            lambda elem=elem: _entry(elem, file, order),
            elem.sourceline,
            blogger_import_id(elem.findtext(f"{A}id") or ""),
        )
    if not site_sent:
        yield scrub(SiteRecord(**site))
    yield from order.finish()


def _entry(entry: etree._Element, file: str, order: ThreadOrder) -> Iterator[Record]:
    kind = _text(entry, f"{B}type").strip().upper()
    status = _text(entry, f"{B}status").strip().upper()
    if _text(entry, f"{B}trashed").strip():
        status = "TRASHED"
    import_id = blogger_entry_id(entry, kind, file)
    if status in TRASHED:
        yield from order.skip(import_id, f"{kind.lower() or 'entry'} {status.lower()}")
    elif kind in {"POST", "PAGE"}:
        # A comment's `blogger:parent` is a bare number, which reads as a post's.
        alias = import_id.replace(".page-", ".post-") if kind == "PAGE" else ""
        yield from order.add_post(_post(entry, import_id, kind, status), entry.sourceline, alias)
    elif kind == "COMMENT":
        record, reply_to = _comment(entry, import_id, status, file)
        yield from order.add_comment(record, entry.sourceline, reply_to=reply_to)
    else:
        yield from order.skip(import_id, f"unknown entry type {kind or '(none)'}")
