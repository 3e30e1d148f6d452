"""Salient names and keyphrases of a text: the candidates for labels the blog does not have.

A blog's vocabulary only ever grows because a post brought something new ("WebM",
"Varnish", "provenance"), so proposals come from the text itself: names written with
capitals mid-sentence, technical tokens ("CSS3", "LRMI", "schema.org") and plain words or
word pairs, weighted by where they occur and, once a model exists, by how rare they are
in the blog's own posts (TF-IDF against its corpus). Pure Python, no Django.
"""

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from dateline.labelling.text import collapse_acronyms, strip_accents

# A word, with inner dots, hyphens, apostrophes or pluses kept ("schema.org", "org-mode").
_TOKEN = re.compile(r"[^\W_](?:[\w+#]|[.\-'\u2019](?=[^\W_]))*")
_SENTENCE_END = re.compile(r"[.!?:\n]")
_CLAUSE_BREAK = re.compile(r"[^\w\s]|\n")  # any punctuation ends a phrase
_YEARISH = re.compile(r"^\d+(?:[.,]\d+)*$|^\d{4}s?$")
CONNECTORS = frozenset({"of", "for", "de"})  # inside names: "Bank of England"
MAX_NAME_WORDS = 4
MIN_WORD = 4  # plain words shorter than this are rarely labels ("use", "new")
NAME_BOOST = 2.5  # a name or technical token is more label-like than a common word
PAIR_BOOST = 1.2  # "structured data" says more than "data"
MAX_PROPOSALS = 3
MIN_WEIGHT = 3.0  # in the title, or in the lead and once more: salient, not in passing
SECTION_WEIGHTS = {"title": 3.0, "lead": 2.0, "body": 1.0}


def phrase_key(phrase: str) -> str:
    """How two spellings of a phrase are told the same: case, accents and a plural "s"."""
    words = strip_accents(phrase).casefold().split()
    if words and len(words[-1]) > MIN_WORD and words[-1].endswith("s"):
        last = words[-1]
        if not last.endswith(("ss", "us", "is")):
            words[-1] = last[:-3] + "y" if last.endswith("ies") else last[:-1]
    return " ".join(words)


# English function words: never a label, and they break a phrase. Our own short list:
# scikit-learn has one, but importing it costs a web worker seconds (see model.py).
FUNCTION_WORDS = frozenset(
    {
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and",
        "any", "are", "as", "at", "be", "because", "been", "before", "being", "below",
        "between", "both", "but", "by", "can", "cannot", "could", "did", "do", "does",
        "doing", "done", "down", "during", "each", "either", "else", "etc", "even", "ever",
        "every", "few", "for", "from", "further", "get", "gets", "got", "had", "has", "have",
        "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how",
        "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "last",
        "least", "less", "let", "like", "made", "make", "many", "may", "me", "might", "more",
        "most", "much", "must", "my", "myself", "neither", "never", "new", "next", "no",
        "nor", "not", "now", "of", "off", "often", "on", "once", "one", "only", "or",
        "other", "others", "our", "ours", "ourselves", "out", "over", "own", "per", "quite",
        "rather", "really", "said", "same", "say", "says", "see", "seems", "shall", "she",
        "should", "since", "so", "some", "still", "such", "than", "that", "the", "their",
        "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those",
        "though", "through", "thus", "to", "too", "two", "under", "until", "up", "upon",
        "us", "use", "used", "using", "very", "via", "was", "we", "well", "were", "what",
        "when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will",
        "with", "within", "without", "would", "yes", "yet", "you", "your", "yours",
        "yourself", "yourselves", "it's", "don't", "we're", "we've", "i'm", "i've",
        "that's", "there's", "let's", "can't", "won't", "isn't", "doesn't", "didn't",
    }
)  # fmt: skip

# Capitalised mid-sentence, yet never a label: the calendar.
CALENDAR = frozenset(
    {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "today", "tomorrow", "yesterday", "january", "february", "march", "april", "may",
        "june", "july", "august", "september", "october", "november", "december", "jan",
        "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "week", "weekend", "month", "year",
    }
)  # fmt: skip
STOP_WORDS = FUNCTION_WORDS | CALENDAR


@dataclass(frozen=True, slots=True)
class Candidate:
    """One phrase found in the text; `named` marks names and technical tokens."""

    key: str
    form: str
    named: bool
    words: int


def _is_technical(word: str) -> bool:
    """ "CSS3", "WebM", "LRMI", "schema.org", "fail2ban": not a word of ordinary prose."""
    letters = sum(ch.isalpha() for ch in word)
    if letters < 2 or _YEARISH.match(word):
        return False
    has_digit = any(ch.isdigit() for ch in word)
    inner_caps = any(ch.isupper() for ch in word[1:])
    dotted = "." in word and not word.endswith(".")
    return has_digit or inner_caps or dotted


class Extractor:
    """Finds candidates in a text, with a stop-word list (ours unless given)."""

    def __init__(self, stop_words: frozenset[str] = STOP_WORDS) -> None:
        self.stop_words = stop_words

    def candidates(self, text: str, *, title: bool = False) -> Iterator[Candidate]:
        """Every candidate occurrence in `text`; in a title, capitals prove nothing."""
        text = collapse_acronyms(text)
        previous_end, opens_sentence = 0, True
        run: list[tuple[str, bool]] = []  # (word, opens a sentence)
        for match in _TOKEN.finditer(text):
            gap = text[previous_end : match.start()]
            previous_end = match.end()
            opens_sentence = opens_sentence or bool(_SENTENCE_END.search(gap))
            if run and _CLAUSE_BREAK.search(gap):
                yield from self._phrases(run, title)
                run = []
            run.append((match.group(), opens_sentence))
            opens_sentence = False
        if run:
            yield from self._phrases(run, title)

    def _phrases(self, run: list[tuple[str, bool]], title: bool) -> Iterator[Candidate]:
        spans = [] if title else self._name_spans([w for w, _o in run])
        in_name = {i for start, end in spans for i in range(start, end)}
        for start, end in spans:
            phrase = " ".join(w for w, _o in run[start:end])
            yield Candidate(phrase_key(phrase), phrase, True, end - start)
        for i, (word, opens) in enumerate(run):
            if not self._content(word):
                continue
            technical = _is_technical(word) or (word.isupper() and len(word) >= 2)
            if i in in_name and not technical:
                continue  # a word of a longer name: "Software" of "Free Software Foundation"
            capital = word[:1].isupper() and not opens and not title
            named = technical or capital
            if named or (len(word) >= MIN_WORD and word.isalpha()):
                yield Candidate(phrase_key(word), word if named else word.lower(), named, 1)
            after = run[i + 1][0] if i + 1 < len(run) else ""
            pair_of_words = self._plain(word) and self._plain(after) and self._content(after)
            if pair_of_words and i + 1 not in in_name:
                pair = f"{word} {after}".lower()
                yield Candidate(phrase_key(pair), pair, False, 2)

    def _name_spans(self, words: list[str]) -> list[tuple[int, int]]:
        """(start, end) of runs of two to four capitalised words, "of" and "for" allowed
        inside: "Free Software Foundation", "Bank of England". Two capitals in a row are a
        name even at the start of a sentence, where one alone proves nothing."""
        spans, start = [], None
        for i, word in enumerate([*words, ""]):
            capital = word[:1].isupper() and word.casefold() not in self.stop_words
            if capital or (start is not None and word in CONNECTORS):
                start = i if start is None else start
                continue
            if start is not None:
                end = i
                while end > start and words[end - 1] in CONNECTORS:
                    end -= 1
                if 2 <= end - start <= MAX_NAME_WORDS:
                    spans.append((start, end))
            start = None
        return spans

    @staticmethod
    def _plain(word: str) -> bool:
        return word.isalpha() and not word.isupper() and not _is_technical(word)

    def _content(self, word: str) -> bool:
        return (
            bool(word)
            and word.casefold() not in self.stop_words
            and not _YEARISH.match(word)
            and any(ch.isalpha() for ch in word)
        )

    def keys(self, text: str) -> set[str]:
        """The distinct candidate keys of a text: what a post counts for document frequency."""
        return {c.key for c in self.candidates(text)}


@dataclass(slots=True)
class _Tally:
    weight: float = 0.0
    named: bool = False
    words: int = 1
    forms: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True, slots=True)
class Proposal:
    """A label the blog does not have yet, with the weight that ranked it."""

    label: str
    score: float
    mentions: int
    forms: tuple[str, ...]
    weight: float = (
        0.0  # the unnormalised salience `score` is relative to (comparable across posts)
    )
    named: bool = False  # a name or technical token, not a common word


def propose(
    sections: Mapping[str, str],
    extractor: Extractor,
    *,
    known: Callable[[str], bool],
    document_frequency: Callable[[str], int] | None = None,
    n_posts: int = 0,
    limit: int = MAX_PROPOSALS,
) -> list[Proposal]:
    """The most salient candidates the blog has no label for, best first.

    `known` says whether a phrase already names a label (or a place the gazetteer maps);
    `document_frequency` counts the blog's posts that use a key. Without it (a blog too
    young for a model) only names and technical tokens are proposed: a common word is
    salient only against a corpus.
    """
    tallies: dict[str, _Tally] = {}
    for section, weight in SECTION_WEIGHTS.items():
        text = sections.get(section, "")
        for cand in extractor.candidates(text, title=section == "title"):
            tally = tallies.setdefault(cand.key, _Tally(words=cand.words))
            tally.weight += weight
            tally.named = tally.named or cand.named
            tally.forms[cand.form] += 1
    ranked = []
    for key, tally in tallies.items():
        if tally.weight < MIN_WEIGHT or (document_frequency is None and not tally.named):
            continue
        form = _display(tally)
        if known(form) or known(key):
            continue
        idf = 1.0
        if document_frequency is not None:
            idf = math.log((n_posts + 1) / (document_frequency(key) + 1)) + 1.0
        boost = (NAME_BOOST if tally.named else 1.0) * (PAIR_BOOST if tally.words > 1 else 1.0)
        raw = math.log1p(tally.weight) * idf * boost
        ranked.append((raw, form, tally))
    ranked.sort(key=lambda row: (-row[0], row[1].casefold()))
    top = max((raw for raw, _f, _t in ranked), default=1.0)
    return [
        Proposal(
            form,
            raw / top,
            t.forms.total(),
            tuple(f for f, _n in t.forms.most_common()),
            raw,
            t.named,
        )
        for raw, form, t in _distinct(ranked)[:limit]
    ]


def _display(tally: _Tally) -> str:
    """The spelling to propose: a name as written, a common word in lower case."""
    form = tally.forms.most_common(1)[0][0]
    capitalised = [f for f in tally.forms if any(ch.isupper() for ch in f)]
    if tally.named and capitalised:
        return max(capitalised, key=lambda f: tally.forms[f])
    return form.lower()


def _distinct(ranked: list[tuple[float, str, _Tally]]) -> list[tuple[float, str, _Tally]]:
    """Drop a word when a better-ranked phrase contains it (or it contains one)."""
    kept: list[tuple[float, str, _Tally]] = []
    for row in ranked:
        words = set(row[1].casefold().split())
        if any(
            words <= set(k[1].casefold().split()) or set(k[1].casefold().split()) <= words
            for k in kept
        ):
            continue
        kept.append(row)
    return kept
