"""How far a running import has got, readable while its transaction is still open.

An import is one transaction, so counts written to the database would stay
invisible until the end, and on SQLite a second writer would wait on the
import's write lock. The default cache is per process (the worker and the web
server are different processes), so it cannot carry them either. A small JSON
file per job in `DATA_DIR/imports/progress/` works on every database and cache
setup: the worker replaces it atomically, the job page reads it.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .importing import ImportSummary
from .models import imports_dir


def _path(job_id: int) -> Path:
    return imports_dir() / "progress" / f"{job_id}.json"


def read_progress(job_id: int) -> dict[str, Any]:
    """What the running job last reported; empty before its first report or after the end."""
    try:
        data = json.loads(_path(job_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def clear_progress(job_id: int) -> None:
    with contextlib.suppress(FileNotFoundError):
        _path(job_id).unlink()


class ProgressFile:
    """The callbacks `import_file` calls, each replacing the job's progress file."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.state: dict[str, Any] = {"phase": "reading"}

    def records(self, summary: ImportSummary) -> None:
        counts = summary.counts()
        self._write(phase="reading", **{k: counts[k] for k in ("posts", "drafts", "pages")},
                    comments=counts["comments"])  # fmt: skip

    def images(self, done: int, total: int) -> None:
        self._write(phase="images", images_done=done, images_total=total)

    def _write(self, **fields: Any) -> None:
        self.state.update(fields)
        target = _path(self.job_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(self.state, out)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
