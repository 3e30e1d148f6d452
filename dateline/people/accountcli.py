"""The options and messages of `dateline createuser` in the desk's words, not Django's.

Django's createsuperuser calls every account a superuser, creates one that cannot log in
with --noinput and no password, and skips silently without a terminal. Here a
non-interactive account always gets a password (from stdin or DJANGO_SUPERUSER_PASSWORD),
checked by the blog's password rules, and a missing terminal is an error that says what
to run instead.
"""

import os
from typing import TextIO

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError
from django.core.management.base import CommandParser
from django.db import DEFAULT_DB_ALIAS

NON_INTERACTIVE = "dateline createuser --username NAME --email ADDRESS --password-stdin"


def add_account_arguments(parser: CommandParser) -> None:
    """The options createsuperuser's handle() reads, with help that fits a blog's desk."""
    parser.add_argument("--username", help="The login name (asked for when missing).")
    parser.add_argument(
        "--email", help="The e-mail address for password resets (asked for when missing)."
    )
    parser.add_argument(
        "--noinput", "--no-input", action="store_false", dest="interactive",
        help="Ask nothing: needs --username, --email and a password from --password-stdin "
        "or the DJANGO_SUPERUSER_PASSWORD environment variable.",
    )  # fmt: skip
    parser.add_argument(
        "--password-stdin", action="store_true",
        help="Read the password from the first line of standard input (implies --noinput).",
    )  # fmt: skip
    parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias to use.")


def given_password(options: dict, stdin: TextIO) -> str | None:
    """The password given without a prompt (None when it is to be asked for), or a
    one-line error when the account would be made without one or with no way to ask."""
    if options["password_stdin"]:
        options["interactive"] = False
        password = stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("--password-stdin read no password from standard input.")
        return password
    if options["interactive"]:
        if not (hasattr(stdin, "isatty") and stdin.isatty()):
            raise CommandError(
                f"No terminal to ask on: pipe the password to `{NON_INTERACTIVE}` "
                "(or use --noinput with DJANGO_SUPERUSER_PASSWORD set)."
            )
        return None
    password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "")
    if not password:
        raise CommandError(
            "--noinput needs a password (or the account could not log in): set "
            "DJANGO_SUPERUSER_PASSWORD, or pipe it to --password-stdin instead of --noinput."
        )
    return password


def set_checked_password(user: AbstractBaseUser, password: str) -> None:
    """Apply the blog's password rules (a prompt would offer to bypass them; with no
    prompt a weak password is refused) and store the password."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from None
    user.set_password(password)
    user.save(update_fields=["password"])


def created_message(username: str, role: str) -> str:
    return f"Created the {role} account {username!r}: log in at /desk/."
