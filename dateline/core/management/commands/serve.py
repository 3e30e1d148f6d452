"""`dateline serve`: migrate, collect static files, then hand the process to granian."""

import os
import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


def _granian_executable() -> str:
    beside_python = Path(sys.executable).with_name("granian")
    found = str(beside_python) if beside_python.exists() else shutil.which("granian")
    if not found:
        raise CommandError("granian is not installed; reinstall Dateline with its dependencies.")
    return found


class Command(BaseCommand):
    help = "Apply migrations and serve the blog with granian, a production WSGI server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="Worker processes.")
        parser.add_argument("--threads", type=int, default=4, help="Threads per worker.")
        parser.add_argument("--demo", action="store_true", help="Add demo posts if empty.")

    def handle(self, *args, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if options["demo"]:
            call_command("demo")
        host, port = options["host"], options["port"]
        shown_host = f"[{host}]" if ":" in host else host
        self.stdout.write(f"Dateline is serving http://{shown_host}:{port}/")
        self.stdout.write(f"Data directory: {settings.DATA_DIR}")
        self.stdout.write("Create the author account with: dateline createuser")
        self.stdout.flush()
        argv = [
            _granian_executable(),
            "--interface", "wsgi",
            "--host", host,
            "--port", str(port),
            "--workers", str(options["workers"]),
            "--blocking-threads", str(options["threads"]),
            "--no-ws",
            "dateline.wsgi:application",
        ]  # fmt: skip
        os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get(
            "DJANGO_SETTINGS_MODULE", "dateline.settings.prod"
        )
        os.execv(argv[0], argv)  # noqa: S606 - replaces this process with the server
