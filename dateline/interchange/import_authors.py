"""Post authors from an export → users who cannot log in, found again on a re-import.

An export names each post's author (WXR: a login with an e-mail and a display name;
Blogger: a name). Each becomes a Django user with an unusable password and
`is_active=False` (an author profile, no login unless someone creates one), so posts keep
their byline. A re-import finds the same user by login, else by e-mail, and never
changes a user it finds. The display name is kept whole in `first_name` (`last_name`
stays empty), so `get_full_name()` gives it back as the export said it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from dateline.core.text import clean_text

from .records import PostRecord

if TYPE_CHECKING:
    from .summary import ImportSummary

USERNAME_MAX, NAME_MAX = 150, 150
_NOT_IN_USERNAME = re.compile(r"[^\w.@+-]+")  # what Django's username validator refuses


def username_for(login: str) -> str:
    """A valid username from a login or a name: a valid one is kept as it is."""
    cleaned = _NOT_IN_USERNAME.sub("-", clean_text(login).strip()).strip("-")
    return cleaned[:USERNAME_MAX] or "author"


class AuthorWriter:
    """Finds or creates the user behind each record's author, once per author."""

    def __init__(self, summary: ImportSummary) -> None:
        self.summary = summary
        users = get_user_model().objects.values_list("id", "username", "email")
        self.by_login: dict[str, int] = {name: pk for pk, name, _ in users}
        self.by_email: dict[str, int] = {}
        for pk, _, email in users:
            if email:
                self.by_email.setdefault(email.casefold(), pk)
        self.found: dict[tuple[str, str, str], int | None] = {}

    def user_id(self, record: PostRecord) -> int | None:
        """The author's user id; None for a post whose file names no author."""
        key = (record.author_login, record.author_email, record.author_name)
        if key not in self.found:
            self.found[key] = self._find_or_create(*key)
        return self.found[key]

    def _find_or_create(self, login: str, email: str, display: str) -> int | None:
        if not (login or display):
            return None
        username = username_for(login or display)
        if username in self.by_login:
            return self.by_login[username]
        if email and email.casefold() in self.by_email:
            return self.by_email[email.casefold()]
        unique, suffix = username, 2
        while unique in self.by_login:  # pragma: no cover - only a cut login collides
            unique = f"{username[: USERNAME_MAX - 4]}-{suffix}"
            suffix += 1
        user = get_user_model()(
            username=unique,
            email=email if len(email) <= 254 else "",
            first_name=" ".join(clean_text(display or login).split())[:NAME_MAX],
            is_active=False,
        )
        user.set_unusable_password()
        user.save()
        self.by_login[unique] = user.pk
        if email:
            self.by_email.setdefault(email.casefold(), user.pk)
        self.summary.changes["authors created"] += 1
        return user.pk
