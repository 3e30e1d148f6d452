"""`DATELINE_STATIC_MIRROR=DIR`: every committed content change updates the mirror.

Each bump of the content version (`serving.signals.version_bumped`) schedules an update
after the transaction commits. Updates run on one background thread per process (a burst of saves
becomes one update) so an author's request never waits for rendering; a file lock keeps
processes from writing the mirror at the same time.

A process that ends (a command: `post add`, `import`, `clip`, `demo`, `labels apply`)
finishes the update before it exits: the thread is a daemon, so that `serve` stops at
once, and would die with the command. An exit hook waits for it and runs the update
still owed, in the command's own process: when the command returns, the mirror is
current. (Handing it to the task worker instead would leave the mirror stale wherever
no worker runs, as on a blog written from the command line.)
"""

from __future__ import annotations

import atexit
import logging
import threading
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connections, transaction

from dateline.serving.signals import version_bumped
from dateline.siteexport.write import MANIFEST

logger = logging.getLogger(__name__)
RUN_IN_THREAD = True  # tests switch this off to update inside the test's transaction


class _Updater:
    """Single flight: while an update runs, further requests collapse into one more."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.dirty = False
        self.thread: threading.Thread | None = None

    def request(self) -> None:
        with self.lock:
            self.dirty = True
            if self.thread is not None and self.thread.is_alive():
                return
            if self.thread is None:
                # Imported here, not on the thread: an import there may meet the
                # interpreter's shutdown, which refuses what the modules register.
                from dateline.siteexport import incremental

                if not (Path(settings.DATELINE_STATIC_MIRROR) / MANIFEST).exists():
                    incremental.static_collected()  # a first build comes: see there
                atexit.register(self.finish)
            self.thread = threading.Thread(target=self._run, name="dateline-mirror", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        try:
            while True:
                with self.lock:
                    if not self.dirty:
                        return
                    self.dirty = False
                update_now()
        finally:
            connections.close_all()

    def wait(self, timeout: float | None = 60) -> None:
        thread = self.thread
        if thread is not None:
            thread.join(timeout)

    def finish(self) -> None:
        """At exit: let the running update end, then run the one still owed, if any."""
        self.wait(timeout=None)
        with self.lock:
            owed, self.dirty = self.dirty, False
        if owed:
            update_now()


updater = _Updater()


def update_now() -> None:
    from dateline.siteexport.incremental import update_site

    try:
        close_old_connections()
        update_site(Path(settings.DATELINE_STATIC_MIRROR))
    except Exception:
        logger.exception("Updating the static mirror at %s failed; the next change retries.",
                         settings.DATELINE_STATIC_MIRROR)  # fmt: skip


def _schedule() -> None:
    if RUN_IN_THREAD:
        updater.request()
    else:
        update_now()


def _changed(sender, **kwargs) -> None:
    if not settings.DATELINE_STATIC_MIRROR:
        return
    transaction.on_commit(_schedule, robust=True)


def connect() -> None:
    # Heard after each bump of the content version, so after siteexport.ledger (connected
    # first) has asked to note the change: its note is made before the update is asked for.
    version_bumped.connect(_changed, dispatch_uid="mirror-update")
