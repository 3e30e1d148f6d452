"""Blogger in both shapes: the legacy `kind#` Atom export and the 2018 Takeout feed.

Callers that know they hold a Blogger file use `read_blogger`; the format
details live in `blogger_legacy` and `blogger_takeout`, the writer in
`blogger_writer`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from .blogger_legacy import read_blogger_legacy
from .blogger_takeout import read_blogger_takeout
from .blogger_writer import write_blogger
from .detect import detect_format
from .errors import ImportFileError
from .records import Record
from .xmlsafe import Source, source_name

__all__ = ["read_blogger", "read_blogger_legacy", "read_blogger_takeout", "write_blogger"]


def read_blogger(source: Source, *, skipped: Counter[str] | None = None) -> Iterator[Record]:
    """Stream a Blogger export of either kind; a WordPress file is refused."""
    fmt = detect_format(source)
    if fmt == "blogger-takeout":
        return read_blogger_takeout(source, skipped=skipped)
    if fmt == "blogger-legacy":
        return read_blogger_legacy(source, skipped=skipped)
    raise ImportFileError(
        "this is a WordPress export, not a Blogger one", file=source_name(source), line=1
    )
