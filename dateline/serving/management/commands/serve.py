"""`dateline serve`: migrate, refresh SQLite's planner statistics when stale, collect static
files, then run granian and a task worker.

One command for a single-machine install: the web server and one background worker run
as child processes; stopping `serve` (Ctrl-C or SIGTERM) stops both.
"""

import contextlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dateline.core.planner import refresh_statistics_if_stale
from dateline.posts.models import Post

# Seconds the task worker may take to finish the task it is running when serve stops; then
# it is told a second time, which ends the task and records it as failed.
TASK_GRACE = 3.0
# Seconds the children get to stop before they are killed.
STOP_WAIT = 20.0


def _executable(name: str) -> str:
    beside_python = Path(sys.executable).with_name(name)
    found = str(beside_python) if beside_python.exists() else shutil.which(name)
    if not found:
        raise CommandError(f"{name} is not installed; reinstall Dateline with its dependencies.")
    return found


def _refuse_a_taken_port(host: str, port: int) -> None:
    """granian shares a port another server already listens on (SO_REUSEPORT), so two
    blogs would split the requests between them: refuse, as a plain bind would."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            raise CommandError(
                f"Cannot serve on {host}:{port}: {error.strerror or error}. Is another server "
                "(another `dateline serve`?) using it? Choose another with --port."
            ) from None


def _descendants(pid: int) -> list[int]:
    """Every process below `pid`, read from /proc (empty where there is none)."""
    parent_of: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
            parent_of[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        below = [child for child, parent in parent_of.items() if parent in frontier]
        found += below
        frontier = below
    return found


def _kill(child: subprocess.Popen) -> None:
    """SIGKILL a child and every process it started (granian: killing only its main
    process leaves its workers serving the port). The children stay in serve's process
    group, so a kill of that group (kill -9 -PGID, a terminal's Ctrl-C) reaches them all."""
    for pid in [*_descendants(child.pid), child.pid]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


class Command(BaseCommand):
    help = "Apply migrations and serve the blog with granian (and a background-task worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="Web worker processes.")
        # One thread per process: rendering holds the GIL, so a second thread mostly
        # queues behind the first (compare: bench/load.py --threads 1, then --threads 2).
        # More threads help only when the database is far away.
        parser.add_argument("--threads", type=int, default=1, help="Threads per web worker.")
        parser.add_argument("--demo", action="store_true", help="Add demo posts if empty.")
        parser.add_argument(
            "--no-task-worker", action="store_true", help="Do not start a task worker here."
        )

    def handle(self, *args, **options) -> None:
        _refuse_a_taken_port(options["host"], options["port"])
        call_command("migrate", interactive=False, verbosity=0)
        refresh_statistics_if_stale(Post)
        call_command("collectstatic", interactive=False, verbosity=0)
        if options["demo"]:
            call_command("demo")
        host, port = options["host"], options["port"]
        shown_host = f"[{host}]" if ":" in host else host
        self.stdout.write(f"Dateline is serving http://{shown_host}:{port}/")
        self.stdout.write(f"Data directory: {settings.DATA_DIR}")
        # The whole command, so that it reaches this blog from any directory (without
        # DATELINE_DATA_DIR it would make an account in a new ./dateline-data there).
        createuser = f"DATELINE_DATA_DIR={shlex.quote(str(settings.DATA_DIR))} " + shlex.quote(
            _executable("dateline")
        )
        self.stdout.write(f"Create the author account with: {createuser} createuser")
        self.stdout.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings.prod")
        children = [subprocess.Popen(self._granian_argv(options))]  # noqa: S603 - our own argv
        if not options["no_task_worker"]:
            worker = [_executable("dateline"), "worker", "--verbosity", "0"]
            children.append(subprocess.Popen(worker))  # noqa: S603 - our own argv
        sys.exit(self._supervise(children))

    def _granian_argv(self, options: dict) -> list[str]:
        return [
            _executable("granian"),
            "--interface", "wsgi",
            "--host", options["host"],
            "--port", str(options["port"]),
            "--workers", str(options["workers"]),
            "--blocking-threads", str(options["threads"]),
            "--no-ws",
            "dateline.wsgi:application",
        ]  # fmt: skip

    @staticmethod
    def _hurry_the_task_worker(workers: list[subprocess.Popen]) -> None:
        """Tell a task worker still running after TASK_GRACE to stop a second time.

        On the first SIGTERM django-tasks-db's worker finishes the task it is running, and a
        source check of every due link can take hours. A stop sent to serve's whole group
        (systemd, `kill -- -PGID`) reaches the worker from there and from serve at once, and
        the two can arrive as one signal: the second, sent here once the first has been
        handled, ends the task (recorded as failed) instead of leaving serve to kill the
        worker, which would leave the task marked as running for good."""
        for worker in workers:
            try:
                worker.wait(timeout=TASK_GRACE)
            except subprocess.TimeoutExpired:
                worker.terminate()

    def _supervise(self, children: list[subprocess.Popen]) -> int:
        """Wait for a stop signal or for any child to exit, then stop the others. A second
        signal while they stop kills them (granian can hang when stopped while a worker
        starts), rather than ending here in a KeyboardInterrupt traceback."""

        def hurry(signum: int, frame: object) -> None:
            for child in children:
                if child.poll() is None:
                    _kill(child)

        def stop(signum: int, frame: object) -> None:
            signal.signal(signal.SIGTERM, hurry)
            signal.signal(signal.SIGINT, hurry)
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        code = 0
        with contextlib.suppress(KeyboardInterrupt):
            code = os.waitpid(-1, 0)[1]
        signal.signal(signal.SIGTERM, hurry)
        signal.signal(signal.SIGINT, hurry)
        for child in children:
            if child.poll() is None:
                child.terminate()
        self._hurry_the_task_worker(children[1:])
        deadline = time.monotonic() + STOP_WAIT
        for child in children:
            try:
                child.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _kill(child)
                child.wait()
        # Stopped. A signal sent now (the operator's second, a moment late) would meet the
        # default handlers Python puts back while it exits and end serve "by SIGTERM".
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        return os.waitstatus_to_exitcode(code) if code else 0
