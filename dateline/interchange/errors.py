"""The one error every reader raises, so the CLI and the admin can show it as is."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


class ImportFileError(Exception):
    """A file that cannot be imported, said in terms a person can act on.

    The message names the file, the line and the entry, because a user fixing
    a 100 MB export needs to know where to look.
    """

    def __init__(self, reason: str, *, file: str = "", line: int | None = None, entry: str = ""):
        self.reason = reason
        self.file = file
        self.line = line
        self.entry = entry
        super().__init__(self._message())

    def _message(self) -> str:
        where = self.file or "<input>"
        if self.line:
            where += f", line {self.line}"
        if self.entry:
            where += f", entry {self.entry}"
        return f"{where}: {self.reason}"


@contextmanager
def values_checked(file: str, line: int | None, entry: str = "") -> Iterator[None]:
    """Turn a value a reader cannot parse (a malformed date, say) into an ImportFileError
    that says where it is, instead of a traceback."""
    try:
        yield
    except ValueError as error:
        raise ImportFileError(str(error), file=file, line=line, entry=entry) from None


@dataclass(frozen=True)
class SkippedEntry:
    """One entry left out of an import, said as an ImportFileError would say it."""

    file: str
    line: int | None
    entry: str
    reason: str

    def __str__(self) -> str:
        return str(ImportFileError(self.reason, file=self.file, line=self.line, entry=self.entry))


class EntryProblems:
    """Where readers send an entry they cannot import.

    WordPress's own importer skips a bad entry and goes on, so by default the
    entry is kept here (listed with file, line and entry) and the rest of the
    file imports; `strict` restores all-or-nothing by raising at once.
    """

    def __init__(self, *, strict: bool = False) -> None:
        self.strict = strict
        self.entries: list[SkippedEntry] = []

    def skip(self, error: ImportFileError) -> None:
        """Keep the entry's problem, or (strict) refuse the file with it."""
        if self.strict:
            raise error
        self.entries.append(SkippedEntry(error.file, error.line, error.entry, error.reason))
