"""The blog's authors' names, which no one else may comment under.

There is no display name: an author is known by their username and their full name
(first and last). A commenter's name matches one when the two are equal after NFKC
normalization and case folding, ignoring spaces and invisible format characters, so
"ADA  Lovelace", a full-width "Ada" and "Ada\u200bLovelace" are all "Ada Lovelace".
"""

import unicodedata

from django.contrib.auth import get_user_model
from django.db.models import Q

from dateline.core.text import clean_name


def name_key(name: str) -> str:
    """What two names must share to count as the same name."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return "".join(
        char
        for char in clean_name(folded)
        if not char.isspace() and unicodedata.category(char) != "Cf"
    )


def author_name_keys() -> set[str]:
    """The keys of every staff user's username and full name."""
    users = get_user_model().objects.filter(Q(is_staff=True) | Q(is_superuser=True))
    keys = set()
    for user in users:
        for name in (user.get_username(), user.get_full_name()):
            key = name_key(name)
            if key:
                keys.add(key)
    return keys


def is_author_name(name: str) -> bool:
    """Whether `name` is, to a reader's eye, one of the blog's authors' names."""
    key = name_key(name)
    return bool(key) and key in author_name_keys()
