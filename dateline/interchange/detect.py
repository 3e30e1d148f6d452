"""Tell the export formats apart from the first bytes, before any real parsing.

Sniffing the head lets `dateline import FILE` pick a reader without trusting
the file name, and refuse HTML, RSS and DTD-carrying files with one message.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from .blogger_legacy import read_blogger_legacy
from .blogger_takeout import TAKEOUT_NS, read_blogger_takeout
from .errors import EntryProblems, ImportFileError
from .records import Record
from .wordpress import read_wxr
from .xmlsafe import NOT_AN_EXPORT, Source, source_name

Format = Literal["blogger-legacy", "blogger-takeout", "wxr"]
HEAD_BYTES = 64 * 1024
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_DECL = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_PROLOG_JUNK = re.compile(rb"<\?.*?\?>|<!--.*?-->|\s+", re.DOTALL)


def _head(source: Source) -> bytes:
    if isinstance(source, str | os.PathLike):
        with Path(source).open("rb") as fh:
            return fh.read(HEAD_BYTES)
    start = source.tell()
    head = source.read(HEAD_BYTES)
    source.seek(start)
    return head


def _root(head: bytes, file: str) -> tuple[str, bytes]:
    """The root element's name and the text from it on; DTDs refused here too."""
    body = head.removeprefix(b"\xef\xbb\xbf")
    pos = 0
    while match := _PROLOG_JUNK.match(body, pos):
        if match.end() == pos:
            break
        pos = match.end()
    decl = _DECL.match(body, pos)
    if decl:
        line = body[: decl.start()].count(b"\n") + 1
        raise ImportFileError(
            "DOCTYPE and entity declarations are refused; exports never need them",
            file=file,
            line=line,
        )
    root = _ROOT.match(body, pos)
    if not root:
        raise ImportFileError(
            NOT_AN_EXPORT + " (no XML document element found)",
            file=file,
            line=body[:pos].count(b"\n") + 1,
        )
    return root.group(1).decode("ascii", "replace"), body[pos:]


def detect_format(source: Source) -> Format:
    """Return which reader fits the file, or raise "not a Blogger or WordPress export"."""
    file = source_name(source)
    name, rest = _root(_head(source), file)
    local = name.rsplit(":", 1)[-1]
    if local == "feed" and TAKEOUT_NS.encode() in rest:
        return "blogger-takeout"
    if local == "feed" and (
        b"schemas.google.com/blogger/2008/kind#" in rest or b"tag:blogger.com,1999:blog-" in rest
    ):
        return "blogger-legacy"
    if local == "rss" and b"wordpress.org/export/" in rest:
        return "wxr"
    kind = {"rss": "an RSS feed", "feed": "an Atom feed", "html": "an HTML page"}.get(
        local.lower(), f"a <{local}> document"
    )
    raise ImportFileError(f"{NOT_AN_EXPORT} (it looks like {kind})", file=file, line=1)


READERS = {
    "blogger-legacy": read_blogger_legacy,
    "blogger-takeout": read_blogger_takeout,
    "wxr": read_wxr,
}


def read_export(
    source: Source,
    *,
    skipped: Counter[str] | None = None,
    problems: EntryProblems | None = None,
) -> Iterator[Record]:
    """Detect the format and stream its records (see each reader for the order); an entry
    that cannot be read goes to `problems` (by default, it refuses the file)."""
    return READERS[detect_format(source)](source, skipped=skipped, problems=problems)
