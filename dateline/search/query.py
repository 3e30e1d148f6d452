"""Parse what a reader typed into a small, safe structure.

Nothing a reader types ever reaches FTS5 `MATCH` or PostgreSQL's `to_tsquery` as
syntax: the parser keeps only runs of letters and digits (the same characters
FTS5's `unicode61` tokenizer keeps), grouped as words, "quoted phrases" and
prefixes (`bagh*`). Every operator, quote, bracket or control character is
either structure we recognise or a separator. Size is bounded so a 10 KB query
costs no more than a short one.

Prefixes are the costly term: the engine merges the posting list of every word that
begins so. A prefix needs MIN_PREFIX_CHARS letters (a shorter one is searched as a
whole word) and at most MAX_PREFIX_TERMS are kept; the query says what it changed, so
the page can tell the reader.
"""

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from dateline.core.text import strip_control_chars

MAX_QUERY_CHARS = 256
MAX_TERMS = 8
MAX_PHRASE_WORDS = 8
MAX_WORD_CHARS = 40
MIN_PREFIX_CHARS = 3
MAX_PREFIX_TERMS = 2

# A word is a run of letters, digits or marks; "_" separates, as in unicode61.
_WORD = re.compile(r"[^\W_]+")
# A quoted phrase (an unclosed quote runs to the end), or a word with an optional `*`.
_PIECE = re.compile(r'"(?P<phrase>[^"]*)"?|(?P<word>[^\W_]+)(?P<star>\*)?')


class TermKind(StrEnum):
    WORD = "word"
    PHRASE = "phrase"
    PREFIX = "prefix"


@dataclass(frozen=True)
class Term:
    kind: TermKind
    words: tuple[str, ...]

    @property
    def text(self) -> str:
        """How the term reads back to the reader: `word`, `"two words"`, `pre*`."""
        joined = " ".join(self.words)
        if self.kind is TermKind.PHRASE:
            return f'"{joined}"'
        return f"{joined}*" if self.kind is TermKind.PREFIX else joined


@dataclass(frozen=True)
class ParsedQuery:
    """Every term must match (AND); an empty query matches nothing."""

    terms: tuple[Term, ...] = ()
    # What the reader typed that is not searched as typed: too-short prefixes (searched as
    # words) and prefixes past MAX_PREFIX_TERMS (left out), as the reader wrote them.
    short_prefixes: tuple[str, ...] = ()
    dropped_prefixes: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def words(self) -> list[str]:
        """Every word of every term, for suggesting labels when nothing matches."""
        return [word for term in self.terms for word in term.words]

    @property
    def text(self) -> str:
        return " ".join(term.text for term in self.terms)


def _words(text: str) -> tuple[str, ...]:
    return tuple(word[:MAX_WORD_CHARS] for word in _WORD.findall(text))


def _term(phrase: str | None, word: str | None, star: str | None) -> Term | None:
    if phrase is not None:
        words = _words(phrase)[:MAX_PHRASE_WORDS]
        if len(words) > 1:
            return Term(TermKind.PHRASE, words)
        return Term(TermKind.WORD, words) if words else None
    assert word is not None  # noqa: S101 - the pattern has two alternatives
    word = word[:MAX_WORD_CHARS]
    if star and len(word) >= MIN_PREFIX_CHARS:
        return Term(TermKind.PREFIX, (word,))
    return Term(TermKind.WORD, (word,))


def parse_query(raw: str) -> ParsedQuery:
    """Words, phrases and prefixes from a reader's query, case-folded, deduplicated, bounded."""
    text = unicodedata.normalize("NFKC", strip_control_chars(raw[: MAX_QUERY_CHARS * 2]))
    text = text[:MAX_QUERY_CHARS].casefold()
    terms: list[Term] = []
    short: list[str] = []
    dropped: list[str] = []
    prefixes = 0
    for match in _PIECE.finditer(text):
        term = _term(match["phrase"], match["word"], match["star"])
        if term is None or term in terms:
            continue
        if term.kind is TermKind.PREFIX:
            if prefixes == MAX_PREFIX_TERMS:
                dropped.append(term.text)
                continue
            prefixes += 1
        elif match["star"]:
            short.append(f"{term.text}*")
        terms.append(term)
        if len(terms) == MAX_TERMS:
            break
    return ParsedQuery(tuple(terms), tuple(short), tuple(dropped))


def fts5_match(query: ParsedQuery) -> str:
    """The FTS5 MATCH expression: every term a double-quoted string, implicitly ANDed.

    Words hold only letters and digits, so no quote can close a string early and no
    operator (AND, OR, NOT, NEAR, `:`, `^`, `-`) survives as syntax.
    """
    parts = []
    for term in query.terms:
        quoted = '"' + " ".join(term.words).replace('"', '""') + '"'
        parts.append(f"{quoted} *" if term.kind is TermKind.PREFIX else quoted)
    return " ".join(parts)
