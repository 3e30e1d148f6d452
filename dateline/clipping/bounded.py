"""Article extraction with a deadline: a page whose shape makes it slow is refused, not waited on.

The size and element caps (`extract.PageLimits`) refuse most costly pages before any
work, but not all: trafilatura's time grows faster than linearly with some shapes, and
25,000 links in one paragraph take minutes while staying under any sane element cap.
Extraction is pure Python and C with no way to stop it from outside in the same thread,
so it runs in a forked child (a copy of this process: no imports to repeat, no start-up
cost worth naming) that is killed at the deadline. The child's memory goes with it, so
a page that would bloat a long-lived server process no longer does.

Where there is no fork (not Linux or macOS), extraction runs in-process, with the caps only.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
import traceback
from dataclasses import dataclass

from dateline.clipping.errors import ClipError, ExtractionError, extraction_too_slow
from dateline.clipping.extract import ExtractedArticle, PageLimits, extract_article


@dataclass(frozen=True)
class ChildStats:
    """What the child cost: wall time and its peak resident memory, for bench/."""

    seconds: float
    peak_rss_kb: int


def extract_with_deadline(
    html: str | bytes, url: str, limits: PageLimits, seconds: float
) -> ExtractedArticle:
    """extract_article() that raises PageTooLarge when it has not finished within `seconds`."""
    return run_with_deadline(html, url, limits, seconds)[0]


def run_with_deadline(
    html: str | bytes, url: str, limits: PageLimits, seconds: float
) -> tuple[ExtractedArticle, ChildStats | None]:
    if not hasattr(os, "fork"):
        return extract_article(html, url, limits), None
    started = time.monotonic()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; its effect is what the parent reads
        os.close(read_end)
        _child(html, url, limits, seconds, write_end)
    os.close(write_end)
    try:
        data = _read_until(read_end, started + seconds)
    finally:
        os.close(read_end)
    if data is None:
        os.kill(pid, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    stats = ChildStats(time.monotonic() - started, usage.ru_maxrss)
    if data is None:
        raise extraction_too_slow(seconds)
    if not data:  # died without answering (killed for memory, a crash in C)
        raise ExtractionError(f"Reading the page's article failed (exit status {status}).")
    kind, value = pickle.loads(data)  # noqa: S301 - our own child's answer
    if kind == "article":
        return value, stats
    if kind == "crash":
        raise RuntimeError(f"Extraction failed in its child process:\n{value}")
    raise value


def _child(html: str | bytes, url: str, limits: PageLimits, seconds: float, fd: int) -> None:
    """Extract, send the article or the ClipError, and exit without running any cleanup
    that belongs to the parent (database connections, atexit handlers, temp files)."""
    try:
        signal.alarm(int(seconds) + 5)  # a backstop should the parent be gone
        try:
            answer: tuple[str, object] = ("article", extract_article(html, url, limits))
        except ClipError as error:
            answer = ("error", error)
        except Exception:  # a bug, not the page: the parent raises it with its traceback
            answer = ("crash", traceback.format_exc())
        payload = pickle.dumps(answer)
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)


def _read_until(fd: int, deadline: float) -> bytes | None:
    """Everything written to `fd` until the writer closes it; None at the deadline."""
    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
