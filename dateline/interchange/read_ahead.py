"""Read and render a big export in a second process while this one writes: both cores busy.

Parsing, rendering and sanitizing need no database and are half of a big
import's time, so for a big XML file a child process (this module, run with
`python -m`) reads the file and `prepare`s each record, and streams them back
in pickled batches through a pipe. The pipe's small buffer keeps memory
bounded: the reader waits whenever the writer is behind. The reader's errors
come back as the same ImportFileError (file, line, entry); if the writer stops
first, the reader is killed. The import stays one transaction in this process.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from .errors import EntryProblems, ImportFileError, SkippedEntry
from .prepare import Prepared, prepare
from .records import Record
from .sources import is_markdown

BIG_FILE = 4_000_000  # bytes; below this, starting a process costs more than it saves
BATCH = 500  # records a message: big enough to amortize pickling, small for memory
# Comment HTML (urlize, nh3) can be rendered on either side. The reader renders it only
# while the writer is clearly the slower of the two: while the reader has spent more than
# this share of its working time waiting for the pipe. (Single waits say little: every
# batch the writer stores makes the reader wait a moment.) So the split follows the
# database and the machine (PostgreSQL's writer needs more help than SQLite's).
SPARE_SHARE = 0.2


def worth_it(path: Path) -> bool:
    """A big export file (not Markdown), a second core, and an interpreter we can start."""
    try:
        big = path.is_file() and path.stat().st_size >= BIG_FILE
    except OSError:
        return False
    runnable = bool(sys.executable) and os.access(sys.executable, os.X_OK)
    return big and not is_markdown(path) and runnable and (os.cpu_count() or 1) > 1


class ReadAhead:
    """`with ReadAhead(path, skipped) as records:` the file's records, prepared, in order.

    `skipped` receives the reader's skipped reasons and `problems` its skipped
    entries once every record is out, as from `read_export(path, skipped=..., problems=...)`.
    """

    def __init__(
        self, path: Path, skipped: Counter[str], problems: EntryProblems | None = None
    ) -> None:
        self.path = path
        self.skipped = skipped
        self.problems = problems if problems is not None else EntryProblems(strict=True)
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ReadAhead:
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(  # noqa: S603 - our own module, the path as one argument
            [sys.executable, "-m", __name__, os.fspath(self.path), *self._strict()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            env=env,
        )
        return self

    def _strict(self) -> list[str]:
        return ["--strict"] if self.problems.strict else []

    def __iter__(self) -> Iterator[Record | Prepared]:
        if self.process is None or self.process.stdout is None:
            raise RuntimeError("use ReadAhead in a with statement")
        pipe = self.process.stdout
        while True:
            try:
                kind, payload = pickle.load(pipe)  # noqa: S301 - written by our own child
            except EOFError:
                code = self.process.wait()
                raise RuntimeError(f"the reader process stopped (exit status {code})") from None
            if kind == "batch":
                yield from payload
            elif kind == "done":
                counts, entries = payload
                self.skipped.update(counts)
                self.problems.entries.extend(SkippedEntry(*entry) for entry in entries)
                return
            elif kind == "error":
                reason, file, line, entry = payload
                raise ImportFileError(reason, file=file, line=line, entry=entry)
            else:
                raise RuntimeError(f"reading {self.path} failed:\n{payload}")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def _send(out: BinaryIO, message: tuple[str, object]) -> None:
    pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)


def main(path: str, strict: bool = False) -> None:
    """The child: every record of `path`, prepared, in batches on stdout; then the outcome."""
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but messages may reach the pipe
    try:
        _read(path, out, strict)
        out.flush()
    except BrokenPipeError:  # the writer stopped and is gone: nobody is left to tell
        os._exit(1)


def _read(path: str, out: BinaryIO, strict: bool) -> None:
    from .detect import read_export

    skipped: Counter[str] = Counter()
    problems = EntryProblems(strict=strict)
    batch: list[Record | Prepared] = []
    help_writer, working, waiting = False, 0.0, 0.0
    mark = time.perf_counter()
    try:
        for record in read_export(path, skipped=skipped, problems=problems):
            batch.append(prepare(record, comment_html=help_writer))
            if len(batch) >= BATCH:
                sending = time.perf_counter()
                _send(out, ("batch", batch))
                mark, working = time.perf_counter(), working + sending - mark
                waiting += mark - sending
                help_writer = waiting > SPARE_SHARE * working
                batch = []
        _send(out, ("batch", batch))
        entries = [(e.file, e.line, e.entry, e.reason) for e in problems.entries]
        _send(out, ("done", (dict(skipped), entries)))
    except ImportFileError as error:
        _send(out, ("error", (error.reason, error.file, error.line, error.entry)))
    except BrokenPipeError:
        raise
    except Exception:  # a bug, not a bad file: the parent shows the traceback
        _send(out, ("crash", traceback.format_exc()))


if __name__ == "__main__":
    main(sys.argv[1], strict="--strict" in sys.argv[2:])
