"""The one error every reader raises, so the CLI and the admin can show it as is."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


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
