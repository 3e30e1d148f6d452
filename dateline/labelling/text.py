"""Text normalisation shared by the gazetteer, the vocabulary matcher and the model.

Both sides of a match (the surface forms and the document) go through the same
`tokens()` so that word boundaries, accents and dotted acronyms behave identically.
"""

import re
import unicodedata

_DOTTED_ACRONYM = re.compile(r"\b(?:[A-Z]\.){2,}")
_WORD = re.compile(r"\w+")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
MAX_ACRONYM = 5


def strip_accents(text: str) -> str:
    """Drop combining marks so "Québec" and "Quebec" compare equal, keeping case."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def collapse_acronyms(text: str) -> str:
    """Dotted acronyms as one word: "U.S." → "US"."""
    return _DOTTED_ACRONYM.sub(lambda m: m.group().replace(".", ""), text)


def normalize(text: str) -> str:
    """Strip accents and collapse dotted acronyms ("U.S." → "US") before tokenising."""
    return collapse_acronyms(strip_accents(text))


def tokens(text: str) -> list[str]:
    """Split text into word tokens (case kept): the unit every match is made of."""
    return _WORD.findall(normalize(text))


def is_acronym(form: str) -> bool:
    """Short all-caps forms ("US", "NATO") are matched case-sensitively so "us" is not one."""
    letters = normalize(form).replace(" ", "")
    return letters.isalpha() and letters.isupper() and len(letters) <= MAX_ACRONYM


def form_key(form: str) -> tuple[bool, str]:
    """Return (case_sensitive, key): the lookup key a surface form is stored under."""
    toks = tokens(form)
    if is_acronym(form):
        return True, " ".join(toks)
    return False, " ".join(t.casefold() for t in toks)
