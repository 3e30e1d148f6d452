"""The name a post's author goes by on pages and in feeds: never the login name.

The display name, else the full name, else the blog's title: a login name is a
credential's half, and a byline is no place for it.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ObjectDoesNotExist

from dateline.site_settings.current import current


def byline(display_name: str | None, first_name: str | None, last_name: str | None) -> str:
    """From the stored values (a feed reads them as columns, without a user object)."""
    name = (display_name or "").strip()
    if name:
        return name
    full = f"{(first_name or '').strip()} {(last_name or '').strip()}".strip()
    if full:
        return full
    return current().title


def display_name(user: AbstractBaseUser | None) -> str | None:
    """A user's byline; None for no user (a post whose author was deleted)."""
    if user is None:
        return None
    try:
        chosen = user.profile.display_name
    except ObjectDoesNotExist:  # a user no one gave a profile yet
        chosen = ""
    return byline(chosen, getattr(user, "first_name", ""), getattr(user, "last_name", ""))


# The columns `byline` reads, as a query on a model with an `author` foreign key names them.
AUTHOR_COLUMNS = ("author__profile__display_name", "author__first_name", "author__last_name")
