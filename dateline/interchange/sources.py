"""What `dateline import PATH` reads: an XML export, one Markdown file, or a folder of them.

Markdown files are read by `read_markdown_post`; the extra front-matter
fields our Markdown export writes (`import_id`, `body_format`, `old_paths`,
`author_login`, `author_email`)
are applied here, so exporting to Markdown and importing back is exact.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import frontmatter

from .detect import read_export
from .errors import EntryProblems, ImportFileError
from .markdown import MarkdownFileError, read_markdown_post
from .records import PostRecord, Record


def _extras(path: Path) -> dict[str, object]:
    # parse(), not loads(), as in markdown._load: a key named "self" breaks loads()
    # (found by fuzzing with atheris).
    meta, _content = frontmatter.parse(path.read_text(encoding="utf-8"))
    extras: dict[str, object] = {}
    if isinstance(meta.get("import_id"), str) and meta["import_id"].strip():
        extras["import_id"] = meta["import_id"].strip()
    if meta.get("body_format") in ("html", "markdown"):
        extras["body_format"] = meta["body_format"]
    for key in ("author_login", "author_email"):
        if isinstance(meta.get(key), str):
            extras[key] = meta[key].strip()
    old = meta.get("old_paths")
    if isinstance(old, list) and all(isinstance(p, str) and p.startswith("/") for p in old):
        extras["old_paths"] = tuple(old)
    return extras


def read_markdown_file(path: Path, root: Path | None = None) -> PostRecord:
    """One post file, with our export's extra fields; errors name the file and field.

    `root` is the folder being imported, the only place its image may come from."""
    try:
        record = read_markdown_post(path, root)
    except MarkdownFileError as error:
        raise ImportFileError(error.problem, file=str(error.path), entry=error.field) from None
    return dataclasses.replace(record, **_extras(path))


def read_markdown(path: Path, problems: EntryProblems | None = None) -> Iterator[Record]:
    """A `.md` file, or every `.md` file under a folder in name order; in a folder, a file
    that cannot be read goes to `problems` (by default, it refuses the import)."""
    files = [path] if path.is_file() else sorted(path.rglob("*.md"))
    if not files:
        raise ImportFileError("no .md files found", file=str(path))
    root = path if path.is_dir() else path.parent
    for file in files:
        try:
            record = read_markdown_file(file, root)
        except ImportFileError as error:
            if problems is None or path.is_file():
                raise
            problems.skip(error)
            continue
        yield record


def is_markdown(path: Path) -> bool:
    """A folder or a .md file is read as Markdown; anything else as an XML export."""
    return path.is_dir() or path.suffix.lower() in {".md", ".markdown"}


def open_records(
    path: Path, *, skipped: Counter[str], problems: EntryProblems | None = None
) -> Iterator[Record]:
    """The records in `path`, whatever its format; ImportFileError names what is wrong.
    An entry that cannot be read goes to `problems` (by default, it refuses the file)."""
    path = Path(path)
    if not path.exists():
        raise ImportFileError("no such file or folder", file=str(path))
    if is_markdown(path):
        return read_markdown(path, problems)
    return read_export(path, skipped=skipped, problems=problems)
