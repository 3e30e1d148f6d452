"""The blog's authors' names, which no one else may comment under.

There is no display name: an author is known by their username and their full name
(first and last). A commenter's name matches one when the two are equal after NFKC
normalization and case folding, ignoring spaces and invisible format characters, so
"ADA  Lovelace", a full-width "Ada" and "Ada\u200bLovelace" are all "Ada Lovelace".

It also matches when the two look alike letter by letter: a Cyrillic or a Greek capital
A (U+0410, U+0391) for the Latin "A", "1" or a capital "I" for "l", "0" for "O".
Unicode's confusables list (through `confusable_homoglyphs`) says which letters look
alike; each is replaced by its ASCII look-alike before comparing.
"""

import unicodedata
from functools import cache

from django.contrib.auth import get_user_model
from django.db.models import Q

from dateline.core.text import clean_name


def _visible_chars(name: str) -> str:
    """`name` without spaces and invisible format characters."""
    return "".join(
        char
        for char in clean_name(name)
        if not char.isspace() and unicodedata.category(char) != "Cf"
    )


def name_key(name: str) -> str:
    """What two names must share to count as the same name."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return _visible_chars(folded)


@cache
def _ascii_look_alike(char: str) -> str:
    """The ASCII letter or digit `char` looks like, or `char` itself when none.

    The list pairs each letter with the one it is mistaken for, so letters that look alike
    are all within two steps of one another ("I" → "l" → "1"); the smallest ASCII letter
    or digit among them stands for them all, so each of them gets the same one.
    """
    # Imported here: loading the list costs every process that imports comments (each
    # command, each build worker) a noticeable start, and only a comment's check needs it.
    from confusable_homoglyphs.confusables import confusables_data

    alike = {char}
    for _ in range(2):
        alike |= {
            entry["c"]
            for known in alike
            for entry in confusables_data.get(known, ())
            if len(entry["c"]) == 1
        }
    ascii_alike = sorted(c for c in alike if c.isascii() and c.isalnum())
    return ascii_alike[0] if ascii_alike else char


def look_alike_keys(name: str) -> set[str]:
    """What two names that look the same letter by letter share one of.

    Case is folded by writing the name as it is, in capitals and in small letters: a
    capital "I" looks like "l" while a small "i" does not, so folding first would miss
    some look-alikes and folding after would keep "ADA" apart from "Ada".
    """
    normal = unicodedata.normalize("NFKC", name)
    forms = (normal, normal.upper(), normal.casefold())
    return {_visible_chars("".join(_ascii_look_alike(c) for c in form)) for form in forms}


def author_name_keys() -> tuple[set[str], set[str]]:
    """The plain and look-alike keys of every staff user's username and full name."""
    users = get_user_model().objects.filter(Q(is_staff=True) | Q(is_superuser=True))
    plain, look_alike = set(), set()
    for user in users:
        for name in (user.get_username(), user.get_full_name()):
            if key := name_key(name):
                plain.add(key)
                look_alike |= look_alike_keys(name)
    return plain, look_alike


def is_author_name(name: str) -> bool:
    """Whether `name` is, to a reader's eye, one of the blog's authors' names."""
    key = name_key(name)
    if not key:
        return False
    plain, look_alike = author_name_keys()
    return key in plain or not look_alike.isdisjoint(look_alike_keys(name))
