"""The `dateline` command: one entry point for everything an operator does.

Each sub-command is a Django management command; `dateline --help` lists ours,
and any other Django command (`dateline migrate`, `dateline shell`) passes through.
"""

import os
import sys
import tempfile
from contextlib import ExitStack, suppress

COMMANDS: dict[str, str] = {
    "serve": "Apply migrations and serve the blog with granian (production server).",
    "demo": "Create a small demo blog (posts, labels, an approved comment) if the blog is empty.",
    "createuser": "Create an account for the desk: --role editor|author, --display-name NAME.",
    "post": "Add or update posts from Markdown files with front matter: post add FILE.md…",
    "clip": "Clip a story from a URL or a saved HTML file into a draft (or --publish it).",
    "labels": "Label suggestions: labels suggest FILE, labels retrain, labels apply --dry-run.",
    "import": "Import a Blogger or WordPress export, or Markdown files (--dry-run, --json).",
    "export": "Export everything: export --format blogger|wxr|markdown FILE|DIR.",
    "search": "Full-text search index: search rebuild.",
    "backup": "Back up the database, media and snapshots into one archive: backup FILE.",
    "restore": "Restore a backup into an empty site (checksums checked; --force to replace).",
    "media": "Remove orphaned media and snapshot files: media sweep [--dry-run] [--older-than].",
    "sources": "Check that cited sources still answer: sources check [--all] [--json].",
    "token": "Micropub tokens: token create --user NAME --scope create,update,delete,media.",
    "worker": "Run background tasks (serve starts one for you).",
    "migrate": "Apply database migrations (serve does this for you).",
    "check": "Check the configuration (add --deploy for production checks).",
}


def _usage() -> str:
    lines = ["usage: dateline COMMAND [options]", "", "Commands:"]
    width = max(map(len, COMMANDS))
    lines += [f"  {name.ljust(width)}  {summary}" for name, summary in COMMANDS.items()]
    lines += [
        "",
        "`dateline COMMAND --help` explains a command's options.",
        "Every Django management command also works (`dateline help --commands` lists them).",
        "Settings come from DATELINE_* environment variables: see docs/settings.md.",
    ]
    return "\n".join(lines)


# Commands that read or write the blog: on a fresh data directory they first create the
# database (as `serve` does) instead of failing with "no such table".
NEEDS_DATABASE = frozenset({"demo", "createuser", "post", "clip", "labels", "import", "export",
                            "search", "media", "worker", "createsuperuser", "sources",
                            "token"})  # fmt: skip


def _prepare_database(command: str) -> None:
    """Apply pending migrations before a command that needs the database; refuse a
    backup of a blog that was never created, rather than archive an empty one."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not pending:
        return
    if command == "backup":
        print(f"There is no blog in {settings.DATA_DIR} yet: nothing to back up.",
              file=sys.stderr)  # fmt: skip
        sys.exit(1)
    applied = executor.loader.applied_migrations
    if not applied:
        print(f"Creating the blog's database in {settings.DATA_DIR} (first run)…",
              file=sys.stderr)  # fmt: skip
    call_command("migrate", interactive=False, verbosity=0)


# Commands that write or show posts outside a request: they run in the blog's stored time
# zone and language as the desk set them (a post's /YYYY/MM/ path is its month there).
# Not the long-running ones (serve, worker): each request, and each task
# (site_settings.tasks), applies them itself.
IN_BLOG_SETTINGS = {"post", "clip", "import", "labels", "demo"}


def _execute(args: list[str]) -> None:
    from django.core.management import execute_from_command_line

    if args[0] not in IN_BLOG_SETTINGS:
        execute_from_command_line(["dateline", *args])
        return
    import django

    django.setup()
    from django.db import DatabaseError

    from dateline.site_settings.current import applied

    with ExitStack() as stack:
        with suppress(DatabaseError):  # not migrated (a --help): defaults from the environment
            stack.enter_context(applied())
        execute_from_command_line(["dateline", *args])


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in {"-h", "--help"}:
        print(_usage())
        sys.exit(0 if args else 2)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings.prod")
    helping = any(arg in {"-h", "--help"} for arg in args[1:])
    if helping and "DATELINE_DATA_DIR" not in os.environ:
        # Help reads no blog: settings would create ./dateline-data wherever it was asked.
        scratch = tempfile.TemporaryDirectory(prefix="dateline-help-")
        os.environ["DATELINE_DATA_DIR"] = scratch.name
    if (args[0] in NEEDS_DATABASE or args[0] == "backup") and not helping:
        _prepare_database(args[0])
    _execute(args)


if __name__ == "__main__":
    main()
