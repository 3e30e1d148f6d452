"""The one place XML files are opened: a hardened, streaming lxml parse.

Exports are untrusted and can be 100 MB, so every reader streams through
`iter_elements`, which refuses DTDs (XXE, billion laughs), never touches the
network, clears what it has handed out, and turns parser errors into
`ImportFileError` with a line number.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import IO

from lxml import etree

from .errors import ImportFileError
from .xml_prefixes import KNOWN_PREFIXES, declaring, undeclared_prefix

Source = str | os.PathLike[str] | IO[bytes]

NOT_AN_EXPORT = "not a Blogger or WordPress export"
PROLOG_LINES = 20  # where to look for a DOCTYPE when the parser stopped before any element
LINE_MAX = 1 << 20  # bytes read per line when looking (an export may be one long line)


def source_name(source: Source) -> str:
    """A file name for messages, whether we were given a path or an open file."""
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    return str(getattr(source, "name", "") or "<input>")


def _parse_events(source: Source, tags: Collection[str], recover: bool = False) -> etree.iterparse:
    # Every option that makes libxml2 reach outside the bytes we were given is
    # off, and huge_tree stays off so libxml2 keeps its own size limits. Only
    # `tags` reach Python (an event per element costs more than parsing it).
    src = os.fspath(source) if isinstance(source, str | os.PathLike) else source
    return etree.iterparse(
        src,
        events=("start", "end"),
        tag=list(tags),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=recover,
    )


def _find_doctype(source: Source, before: int) -> int | None:
    """The line of `<!DOCTYPE` (or `<!ENTITY`) among the first `before` lines, if any."""
    try:
        if isinstance(source, str | os.PathLike):
            with Path(source).open("rb") as fh:
                head = [fh.readline(LINE_MAX) for _ in range(before)]
        elif source.seekable():
            source.seek(0)
            head = [source.readline(LINE_MAX) for _ in range(before)]
        else:
            return None
    except OSError:
        return None
    for number, line in enumerate(head, start=1):
        if b"<!DOCTYPE" in line.upper() or b"<!ENTITY" in line.upper():
            return number
    return None


def _refuse_dtd(source: Source, line: int | None) -> ImportFileError:
    return ImportFileError(
        "DOCTYPE and entity declarations are refused (they can read local files or "
        "expand without bound); exports never need them",
        file=source_name(source),
        line=line,
    )


def _check_root(source: Source, root: etree._Element, roots: Collection[str]) -> None:
    """Refuse DTDs outright and anything that is not the expected document."""
    name = source_name(source)
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        before = root.sourceline or 1
        raise _refuse_dtd(source, _find_doctype(source, before) or before)
    if root.tag not in roots:
        # Not etree.QName: it refuses a namespace with "}" in it (found by fuzzing with atheris).
        local = str(root.tag).rsplit("}", 1)[-1]
        raise ImportFileError(
            f"{NOT_AN_EXPORT} (the document starts with <{local}>)",
            file=name,
            line=root.sourceline,
        )


def release(elem: etree._Element) -> None:
    """Free an element already handed out, and its finished older siblings."""
    elem.clear(keep_tail=False)
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


def iter_elements(
    source: Source,
    tags: Collection[str],
    *,
    roots: Collection[str],
    release_tags: Collection[str] = (),
    notes: Counter[str] | None = None,
) -> Iterator[etree._Element]:
    """Yield each element in `tags` when it is complete, in document order.

    Elements in `release_tags` are cleared once the caller moves on, so memory
    stays bounded by one entry, not the file. `roots` are the acceptable
    document elements; anything else is "not a Blogger or WordPress export".
    The root is checked at the first event (an accepted root's own start, before
    anything is read) or, in a document with none of these elements, at its end.
    A well-known namespace prefix used without a declaration (see `xml_prefixes`) is
    declared and the file read again from where it stopped, said in `notes`.
    """
    declared: set[str] = set()
    done = 0
    recover = False
    while True:
        try:
            once = _iter_once(source, tags, roots, release_tags, declared, recover)
            for number, elem in enumerate(once, start=1):
                if number > done:
                    done = number
                    yield elem
            return
        except _Doubted as doubted:
            recover = True  # read again; only namespace-name doubts may be logged
            if notes is not None:
                notes[
                    f"namespace name doubted by the parser kept as written (line {doubted.line})"
                ] += 1
        except _Undeclared as missing:
            declared.add(missing.prefix)
            if notes is not None:
                notes[
                    f"elements with the undeclared prefix {missing.prefix}: kept as the "
                    f"{KNOWN_PREFIXES[missing.prefix]} namespace"
                ] += 1


def _check_prefixes(log: etree._ListErrorLog, declared: set[str]) -> None:
    """libxml2 reads an undeclared prefix as part of the name and only logs it (the parser
    stops later), so the log is read before an element is handed out."""
    for error in log:
        prefix = undeclared_prefix(error.message)
        if prefix and prefix not in declared:
            raise _Undeclared(prefix)


class _Doubted(Exception):
    def __init__(self, line: int | None) -> None:
        self.line = line


NAMESPACE_DOUBTS = {
    getattr(etree.ErrorTypes, name) for name in dir(etree.ErrorTypes) if name.startswith("WAR_NS")
}  # libxml2's namespace warnings (a non-ASCII namespace name, say): nothing is lost


class _Undeclared(Exception):
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix


def _iter_once(
    source: Source,
    tags: Collection[str],
    roots: Collection[str],
    release_tags: Collection[str],
    declared: set[str],
    recover: bool,
) -> Iterator[etree._Element]:
    name = source_name(source)
    line = 0
    started = False
    stream = declaring(source, declared) if declared else None
    if declared and stream is None:
        raise ImportFileError("broken XML: an undeclared namespace prefix", file=name)
    try:
        events = _parse_events(stream or source, {*tags, *roots}, recover)
        for event, elem in events:
            line = elem.sourceline or line
            if not started:
                started = True
                _check_root(source, elem.getroottree().getroot(), roots)
            if event == "end" and elem.tag in tags:
                if len(log := events.error_log):  # a namespace error: the tags read wrong
                    _check_prefixes(log, declared)
                yield elem
                if elem.tag in release_tags:
                    release(elem)
        if not started and events.root is not None:
            started = True
            _check_root(source, events.root, roots)
        if recover and (wrong := [e for e in events.error_log if e.type not in NAMESPACE_DOUBTS]):
            raise ImportFileError(f"broken XML: {wrong[0].message}", file=name, line=wrong[0].line)
    except etree.XMLSyntaxError as exc:
        at = exc.lineno or line or None
        reason = exc.msg or str(exc)
        prefix = undeclared_prefix(reason)
        if started and prefix and prefix not in declared:
            raise _Undeclared(prefix) from None
        if not recover and exc.code in NAMESPACE_DOUBTS:  # (fatal errors raise at once)
            raise _Doubted(at) from None
        if not started and (dtd := _find_doctype(source, max(at or 1, PROLOG_LINES))):
            raise _refuse_dtd(source, dtd) from None  # what a DTD refusal says, whatever broke
        if not started:
            reason = f"{NOT_AN_EXPORT}: {reason}"
        raise ImportFileError(f"broken XML: {reason}", file=name, line=at) from exc
    finally:
        if stream is not None:
            stream.close()
