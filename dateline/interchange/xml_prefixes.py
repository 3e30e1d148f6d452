"""A well-known namespace prefix an export uses without declaring it, declared for it.

Some Blogger exports (Pelican's test file, for one) write `<app:control>` with no
`xmlns:app` on any element: not namespace-well-formed, so the parser stops. The prefix
can only mean one thing there, so instead of refusing the file (or parsing it in
libxml2's recover mode, which would also swallow truly broken XML) the file is read
again with that one declaration added to its document element, on the same line, so
every line number stays right. Only the prefixes below are ever added.
"""

from __future__ import annotations

import io
import os
import re
from typing import IO

Source = str | os.PathLike[str] | IO[bytes]

KNOWN_PREFIXES = {
    "app": "http://purl.org/atom/app#",
    "thr": "http://purl.org/syndication/thread/1.0",
    "gd": "http://schemas.google.com/g/2005",
    "georss": "http://www.georss.org/georss",
    "openSearch": "http://a9.com/-/spec/opensearchrss/1.0/",
    "media": "http://search.yahoo.com/mrss/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
}
_UNDECLARED = re.compile(r"Namespace prefix (\w+) (?:on|for) \S+ (?:is not defined|on)")
_ROOT = re.compile(rb"<(?:feed|rss)\b")
HEAD = 64 * 1024


def undeclared_prefix(message: str) -> str | None:
    """The well-known prefix a parser error says is undeclared, if it is one."""
    match = _UNDECLARED.search(message or "")
    return match.group(1) if match and match.group(1) in KNOWN_PREFIXES else None


class _Prefixed(io.RawIOBase):
    """The fixed head of a file, then the rest of it, read as one stream."""

    def __init__(self, head: bytes, rest: IO[bytes], owned: bool) -> None:
        self.head, self.rest, self.owned = head, rest, owned

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.head:
            size = min(len(buffer), len(self.head))
            buffer[:size], self.head = self.head[:size], self.head[size:]
            return size
        data = self.rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if self.owned:
            self.rest.close()
        super().close()


def declaring(source: Source, prefixes: set[str]) -> IO[bytes] | None:
    """The file's bytes, streamed, with `prefixes` declared on its document element; None
    if the document element is not where an export has it."""
    if isinstance(source, str | os.PathLike):
        stream, owned = open(source, "rb"), True  # noqa: SIM115 - closed with the reader
    elif source.seekable():
        source.seek(0)
        stream, owned = source, False
    else:
        return None
    head = stream.read(HEAD)
    root = _ROOT.search(head)
    if root is None:
        if owned:
            stream.close()
        return None
    extra = "".join(f' xmlns:{p}="{KNOWN_PREFIXES[p]}"' for p in sorted(prefixes)).encode()
    fixed = head[: root.end()] + extra + head[root.end() :]
    return io.BufferedReader(_Prefixed(fixed, stream, owned))
