"""Reader for Blogger's legacy export (`blog-MM-DD-YYYY.xml`): one Atom entry per object.

The kind of each entry (post, comment, page, settings, template) is a
`category` in the g/2005#kind scheme; comments point at their post with
`thr:in-reply-to/@ref` and at their parent comment with `link rel="related"`.
"""

from __future__ import annotations

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
from .records import CommentRecord, PostRecord, Record, SiteRecord
from .threads import ThreadOrder
from .xmlsafe import Source, iter_elements, source_name

A = f"{{{ATOM_NS}}}"
APP = "{http://purl.org/atom/app#}"
THR = "{http://purl.org/syndication/thread/1.0}"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
KIND_PREFIX = "http://schemas.google.com/blogger/2008/kind#"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
NOREPLY = "noreply@blogger.com"
CATEGORY, LINK = f"{A}category", f"{A}link"
DATELINE_META = "{urn:x-dateline:blogger-extension}meta"  # see blogger_writer


class _Entry:
    """An entry's children, read in one pass: a `findtext` per field cost more than parsing."""

    def __init__(self, elem: etree._Element) -> None:
        self.elem = elem
        self.first: dict[object, etree._Element] = {}
        self.categories: list[etree._Element] = []
        self.links: list[etree._Element] = []
        self.meta: dict[str, str] = {}  # our own exports' `dateline:meta`
        for child in elem:
            tag = child.tag
            if tag == CATEGORY:
                self.categories.append(child)
            elif tag == LINK:
                self.links.append(child)
            elif tag == DATELINE_META:
                self.meta[child.get("name", "")] = child.text or ""
            self.first.setdefault(tag, child)

    def text(self, tag: str) -> str:
        """What `findtext(tag) or ""` gives: the first such child's text."""
        child = self.first.get(tag)
        return (child.text or "") if child is not None else ""

    @property
    def line(self) -> int | None:
        return self.elem.sourceline


def entry_kind(entry: _Entry) -> str:
    """`post`, `comment`, `page`, `settings`, `template` or "" from the kind category."""
    for cat in entry.categories:
        term = cat.get("term", "")
        # The term names the kind by itself; some exports leave out the scheme.
        if cat.get("scheme") in (KIND_SCHEME, None) and term.startswith(KIND_PREFIX):
            return term.removeprefix(KIND_PREFIX)
    return ""


def _link(entry: _Entry, rel: str) -> str:
    for link in entry.links:
        if link.get("rel") == rel:
            return link.get("href", "")
    return ""


def _author(entry: _Entry) -> tuple[str, str, str]:
    author = entry.first.get(f"{A}author")
    if author is None:
        return "", "", ""
    fields = _Entry(author)
    email = fields.text(f"{A}email").strip()
    return (
        fields.text(f"{A}name").strip(),
        "" if email == NOREPLY else email,
        fields.text(f"{A}uri").strip(),
    )


def _is_draft(entry: _Entry) -> bool:
    if f"{APP}control" not in entry.first:
        return False
    return (entry.elem.findtext(f"{APP}control/{APP}draft") or "").strip().lower() == "yes"


def _post(entry: _Entry, import_id: str, kind: str) -> PostRecord:
    path = blogger_path(_link(entry, "alternate"))
    labels = [c.get("term", "") for c in entry.categories if c.get("scheme") == LABEL_SCHEME]
    meta = entry.meta
    undated = meta.get("undated") == "yes"
    author = _author(entry)
    return PostRecord(
        import_id=import_id,
        title=entry.text(f"{A}title").strip(),
        body=meta["markdown"] if "markdown" in meta else entry.text(f"{A}content"),
        body_format="markdown" if "markdown" in meta else "html",
        kind="page" if kind == "page" else "post",
        status="draft" if _is_draft(entry) else "published",
        published=None if undated else parse_iso(entry.text(f"{A}published")),
        updated=parse_iso(entry.text(f"{A}updated")),
        path=path,
        slug=slug_from_path(path) if path else "",
        labels=unique_labels(labels),
        author_name=author[0],
        author_email=author[1],
        author_login=meta.get("author_login", ""),
        excerpt=entry.text(f"{A}summary"),
        lead_image=meta.get("lead_image", ""),
        lead_image_caption=meta.get("lead_image_caption", ""),
        source_url=meta.get("source_url", ""),
        source_name=meta.get("source_name", ""),
        old_paths=tuple(p for p in meta.get("old_paths", "").split("\n") if p),
    )


def _comment(entry: _Entry, import_id: str, file: str) -> CommentRecord:
    reply = entry.first.get(f"{THR}in-reply-to")
    ref = reply.get("ref", "") if reply is not None else ""
    if not ref:
        raise ImportFileError(
            "comment has no thr:in-reply-to/@ref naming its post",
            file=file,
            line=entry.line,
            entry=import_id,
        )
    related = _link(entry, "related")
    parent = related.rstrip("/").rsplit("/", 1)[-1] if related else ""
    blog = blogger_blog_id(entry.text(f"{A}id"))  # a bare parent number is in this blog
    name, email, uri = _author(entry)
    published = parse_iso(entry.text(f"{A}published"))
    if published is None:
        raise ImportFileError(
            "comment has no published time", file=file, line=entry.line, entry=import_id
        )
    return CommentRecord(
        import_id=import_id,
        post_import_id=blogger_import_id(ref, blog),
        author_name=name,
        body=entry.text(f"{A}content"),
        published=published,
        parent_import_id=blogger_import_id(parent, blog) if parent else "",
        author_email=email,
        author_url=uri,
    )


class _Settings:
    """Collects settings entries into one SiteRecord."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.sent = False

    def add(self, raw_id: str, entry: _Entry) -> None:
        key = raw_id.rsplit(".settings.", 1)[-1] if ".settings." in raw_id else raw_id
        self.values[key.upper()] = entry.text(f"{A}content").strip()

    def record(self) -> Iterator[SiteRecord]:
        if self.sent or not self.values:
            return
        self.sent = True
        access = next((v for k, v in self.values.items() if "COMMENT_ACCESS" in k), None)
        allowed = next((v for k, v in self.values.items() if "COMMENTS_ALLOWED" in k), None)
        comments = True
        if access is not None:
            comments = access.upper() not in {"NONE", "NOBODY", "OFF", ""}
        if allowed is not None:
            comments = allowed.lower() in {"true", "yes", "1"}
        yield scrub(
            SiteRecord(
                title=self.values.get("BLOG_NAME", ""),
                description=self.values.get("BLOG_DESCRIPTION", ""),
                comments_allowed=comments,
                time_zone=self.values.get("BLOG_TIME_ZONE", ""),
            )
        )


def read_blogger_legacy(
    source: Source,
    *,
    skipped: Counter[str] | None = None,
    problems: EntryProblems | None = None,
) -> Iterator[Record]:
    """Yield the site, posts, pages and comments of a legacy Blogger export.

    A SiteRecord (if the file has settings) comes first; every comment comes
    after its post and parent. Templates are skipped and counted in `skipped`.
    """
    skipped = skipped if skipped is not None else Counter()
    file = source_name(source)
    order = ThreadOrder(file, skipped, problems)
    settings = _Settings()
    for entry in iter_elements(
        source, {f"{A}entry"}, roots={f"{A}feed"}, release_tags={f"{A}entry"}, notes=skipped
    ):
        yield from order.entry(
            lambda entry=entry: _entry(entry, file, order, settings),
            entry.sourceline,
            blogger_import_id(entry.findtext(f"{A}id") or ""),
        )
    yield from settings.record()
    yield from order.finish()


def _entry(
    elem: etree._Element, file: str, order: ThreadOrder, settings: _Settings
) -> Iterator[Record]:
    entry = _Entry(elem)
    kind = entry_kind(entry)
    if kind == "settings":
        settings.add(entry.text(f"{A}id").strip(), entry)
        return
    if kind == "template":
        yield from order.skip("", "template")
        return
    import_id = blogger_entry_id(elem, kind, file)
    yield from settings.record()
    if kind in {"post", "page"}:
        # A comment may name a page as `post-N`, the kind all Blogger entries once were.
        alias = import_id.replace(".page-", ".post-") if kind == "page" else ""
        yield from order.add_post(_post(entry, import_id, kind), entry.line, alias)
    elif kind == "comment":
        yield from order.add_comment(_comment(entry, import_id, file), entry.line)
    else:
        yield from order.skip(import_id, f"unknown entry kind {kind or '(none)'}")
