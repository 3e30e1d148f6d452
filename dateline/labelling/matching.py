"""Find surface forms in text: longest match on word tokens, case- and accent-aware.

Matching whole tokens (not substrings) is what keeps "Mali" out of "al-Maliki"; taking the
longest form first keeps "Guinea" out of "Papua New Guinea"; stop phrases ("New Mexico")
swallow words that would otherwise name the wrong thing.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from dateline.labelling.text import form_key, tokens


@dataclass(frozen=True, slots=True)
class Term:
    """What a surface form points at. `label` None marks a stop phrase."""

    label: str | None
    form: str
    proper: bool = False  # proper nouns must start with a capital in the text


@dataclass(frozen=True, slots=True)
class Hit:
    """One mention: the label it names, the form as registered, its token index."""

    label: str
    form: str
    position: int


class Matcher:
    """A dictionary of token sequences; the first registration of a key wins."""

    def __init__(self) -> None:
        self._exact: dict[str, Term] = {}
        self._folded: dict[str, Term] = {}
        self._firsts: set[str] = set()
        self._longest = 1

    def add(self, form: str, label: str | None, *, proper: bool = False) -> bool:
        """Register `form` for `label` unless its key is already taken; say whether it was."""
        case_sensitive, key = form_key(form)
        table = self._exact if case_sensitive else self._folded
        if not key or key in table:
            return False
        table[key] = Term(label, form, proper)
        words = key.split(" ")
        self._firsts.add(words[0])
        self._longest = max(self._longest, len(words))
        return True

    def add_all(self, forms: Iterable[str], label: str | None, *, proper: bool = False) -> None:
        """Register several forms for one label."""
        for form in forms:
            self.add(form, label, proper=proper)

    def lookup(self, form: str) -> Term | None:
        """The term a form would match, if any (used to tie vocabulary to the gazetteer)."""
        case_sensitive, key = form_key(form)
        return (self._exact if case_sensitive else self._folded).get(key)

    def find(self, text: str) -> list[Hit]:
        """Every non-overlapping mention in `text`, longest form first at each position."""
        toks = tokens(text)
        folded = [t.casefold() for t in toks]
        hits: list[Hit] = []
        i = 0
        while i < len(toks):
            found = None
            if toks[i] in self._firsts or folded[i] in self._firsts:
                found = self._match_at(toks, folded, i)
            if found is None:
                i += 1
                continue
            term, length = found
            if term.label is not None:
                hits.append(Hit(term.label, term.form, i))
            i += length
        return hits

    def _match_at(self, toks: list[str], folded: list[str], i: int) -> tuple[Term, int] | None:
        for length in range(min(self._longest, len(toks) - i), 0, -1):
            term = self._exact.get(" ".join(toks[i : i + length]))
            if term is None:
                term = self._folded.get(" ".join(folded[i : i + length]))
                if term is not None and term.proper and not toks[i][:1].isupper():
                    term = None
            if term is not None:
                return term, length
        return None
