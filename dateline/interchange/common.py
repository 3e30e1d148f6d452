"""Small conversions every reader and writer agrees on: times, ids, paths, labels."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import TypeVar
from urllib.parse import quote, unquote, urlsplit

from lxml import etree

from dateline.core.text import strip_control_chars

from .errors import ImportFileError
from .records import Record, SiteRecord

ATOM_NS = "http://www.w3.org/2005/Atom"
BLOGGER_TAG = re.compile(r"blog-(\d+)\.(post|page)-(\d+)$")
BLOGGER_LOCAL = re.compile(r"(?:^|[.-])(post|page)-(\d+)$")
BLOGGER_BLOG = re.compile(r"blog-(\d+)(?:\.|$)")
BLOGGER_IMPORT_ID = re.compile(r"blogger:(\d+)\.(post|page)-(\d+)")
FOREIGN_ID_PREFIX = "urn:x-dateline:"


def parse_iso(value: str | None) -> datetime | None:
    """Read an Atom/ISO 8601 time as timezone-aware; a bare time is taken as UTC."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value[:40]!r} is not a date and time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_iso(value: datetime) -> str:
    """Write a time with its offset, so a round trip gives the same instant."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def url_path(url: str | None) -> str:
    """The decoded path (and query, if any) of a URL: what a redirect must match."""
    parts = urlsplit((url or "").strip())
    path = unquote(parts.path)
    if parts.query:
        path += "?" + parts.query
    return path


def blogger_path(url: str | None) -> str:
    """A Blogger post's path: `url_path` without `m=1`/`m=0`, Blogger's mobile switch,
    which is no part of the address (a stored `?m=1` would be a path no link uses)."""
    path = url_path(url)
    if "?" not in path:
        return path
    base, query = path.split("?", 1)
    kept = [p for p in query.split("&") if p.split("=", 1)[0] != "m"]
    return f"{base}?{'&'.join(kept)}" if kept else base


def slug_from_path(path: str) -> str:
    """`/2007/07/us-and-iran-clash.html` → `us-and-iran-clash` (Blogger has no slug field)."""
    last = path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return last.removesuffix(".html")


def blogger_import_id(raw: str, blog: str = "") -> str:
    """Normalize a Blogger id to `blogger:<blog>.<post|page>-<number>`.

    The blog and the kind are part of the identity: two blogs number their
    posts independently, and a page and a post may share a number. A bare
    number or `post-N` (a reference inside the file) takes `blog`, the blog of
    the entry that holds it. Ids written by our own exporter for records from
    other systems come back as they were, so re-importing an export stays
    idempotent.
    """
    raw = raw.strip()
    if raw.startswith(FOREIGN_ID_PREFIX):
        return unquote(raw.removeprefix(FOREIGN_ID_PREFIX))
    if match := BLOGGER_TAG.search(raw):
        return "blogger:{}.{}-{}".format(*match.groups())
    if match := BLOGGER_LOCAL.search(raw):
        kind, number = match.groups()
    elif raw.isdigit():
        kind, number = "post", raw
    else:
        return f"blogger:{raw}" if raw else ""
    return f"blogger:{blog}.{kind}-{number}" if blog else f"blogger:{kind}-{number}"


def blogger_blog_id(raw: str) -> str:
    """The blog number in a Blogger tag id (`tag:blogger.com,1999:blog-123.post-4`), or ""."""
    match = BLOGGER_BLOG.search(raw)
    return match.group(1) if match else ""


def blogger_entry_id(entry: etree._Element, kind: str, file: str) -> str:
    """The import id of a Blogger entry (either format); an entry without `<id>` is refused,
    named by its title, because nothing could match it on a re-run."""
    atom = f"{{{ATOM_NS}}}"
    raw_id = (entry.findtext(f"{atom}id") or "").strip()
    if not raw_id:
        raise ImportFileError(
            f"{kind.lower() or 'entry'} has no <id>",
            file=file,
            line=entry.sourceline,
            entry=(entry.findtext(f"{atom}title") or "").strip() or "(untitled)",
        )
    return blogger_import_id(raw_id)


def atom_id(import_id: str) -> str:
    """The Atom id an import id is written as; the inverse of `blogger_import_id`.

    A Blogger id keeps the blog it came from, so a re-import matches it; any
    other id (another system's, or a Blogger id stored before blogs were part
    of the identity) travels whole as a `urn:x-dateline:` id.
    """
    if match := BLOGGER_IMPORT_ID.fullmatch(import_id):
        return "tag:blogger.com,1999:blog-{}.{}-{}".format(*match.groups())
    return FOREIGN_ID_PREFIX + quote(import_id, safe="")


def unique_labels(names: Iterable[str]) -> tuple[str, ...]:
    """Labels in first-seen order, blanks dropped, duplicates ignoring case removed."""
    seen: set[str] = set()
    kept: list[str] = []
    for name in names:
        name = " ".join(name.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            kept.append(name)
    return tuple(kept)


def xml_text(value: str) -> str:
    """Text made safe for XML 1.0: control characters never reach a writer's output."""
    return strip_control_chars(value)


def split_site(records: Iterable[Record]) -> tuple[SiteRecord | None, Iterator[Record]]:
    """Take the leading SiteRecord off a stream; writers need it for their header."""
    stream = iter(records)
    first = next(stream, None)
    if first is None:
        return None, iter(())
    if isinstance(first, SiteRecord):
        return first, stream
    return None, itertools.chain([first], stream)


def misplaced_site() -> ValueError:
    """The error for a SiteRecord after other records: headers are already written."""
    return ValueError("a SiteRecord must come before any post or comment")


R = TypeVar("R", bound=Record)


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


def _flat(values: tuple) -> Iterator[str]:
    for value in values:
        if isinstance(value, tuple):
            yield from _flat(value)
        else:
            yield value


def _scrub_tuple(values: tuple) -> tuple:
    return tuple(
        _scrub_tuple(v) if isinstance(v, tuple) else strip_control_chars(v) for v in values
    )


def scrub(record: R) -> R:
    """Strip control characters from every text field: nothing unstorable leaves a reader.

    One check over all the text first: almost every record has nothing to strip.
    """
    names = _field_names(type(record))
    texts: list[str] = []
    for name in names:
        value = getattr(record, name)
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, tuple):
            texts.extend(_flat(value))
    joined = "".join(texts)
    if strip_control_chars(joined) == joined:
        return record
    changes: dict[str, object] = {}
    for name in names:
        value = getattr(record, name)
        if isinstance(value, str):
            cleaned: object = strip_control_chars(value)
        elif isinstance(value, tuple):
            cleaned = _scrub_tuple(value)
        else:
            continue
        if cleaned != value:
            changes[name] = cleaned
    return dataclasses.replace(record, **changes) if changes else record
