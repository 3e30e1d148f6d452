"""Rank label suggestions for one document: text and vocabulary in, suggestions out.

Three signals feed one score per label: mentions of the blog's own labels and aliases,
mentions of gazetteer places, and a model's probability. Mentions are weighted by where
they occur (title and lead count more) and by salience relative to the most-mentioned
label, so a country named once in passing does not clear the threshold while the
three countries a story is about do. Pure: no Django, no I/O.
"""

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from dateline.labelling.gazetteer import ALIAS, Gazetteer
from dateline.labelling.matching import Matcher
from dateline.labelling.text import form_key, is_acronym

LIMIT = 8
THRESHOLD = 0.3
SECTION_WEIGHTS = {"title": 3.0, "lead": 2.0, "body": 1.0}
SATURATION = 3.0  # weighted mentions at which the mention signal reaches 63 %
EXISTING_BONUS = 0.05  # existing labels go first among near-equals
NEW_PENALTY = 0.8  # a blog with a vocabulary wants its own labels over new ones
MODEL_FLOOR = 0.05  # model probabilities below this are noise, not evidence
MAX_FORMS_SHOWN = 4


class Predictor(Protocol):
    """Anything that maps text to {label: probability}; `model.LabelModel` is one."""

    def predict(self, text: str) -> Mapping[str, float]: ...


@dataclass(frozen=True, slots=True)
class Document:
    """A post as the suggester sees it: plain-text title, lead paragraph and the rest."""

    title: str = ""
    lead: str = ""
    body: str = ""

    @classmethod
    def from_text(cls, title: str, text: str) -> "Document":
        """Split plain text at the first blank line so the lead gets its extra weight."""
        paragraphs = [p.strip() for p in text.strip().split("\n\n") if p.strip()]
        lead = paragraphs[0] if paragraphs else ""
        return cls(title=title, lead=lead, body="\n\n".join(paragraphs[1:]))

    @property
    def text(self) -> str:
        """All of it, for the model."""
        return "\n\n".join(part for part in (self.title, self.lead, self.body) if part)


@dataclass(frozen=True, slots=True)
class LabelTerms:
    """A label of the blog and the other words that mean it ("Iranian", "Tehran")."""

    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One ranked suggestion; `new` means the blog has no such label yet."""

    label: str
    score: float
    reason: str
    new: bool

    def as_dict(self) -> dict[str, object]:
        """The JSON shape `dateline labels suggest --json` prints."""
        return {"label": self.label, "score": self.score, "reason": self.reason, "new": self.new}


@dataclass(slots=True)
class _Evidence:
    weight: float = 0.0
    forms: Counter[str] = field(default_factory=Counter)
    model: float = 0.0


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in tuple("aeiou"):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def _variants(form: str) -> list[str]:
    """A vocabulary form plus its simple plural or singular, so "License" finds "licenses"."""
    if is_acronym(form) or not form[-1:].isalpha():
        return [form]
    variants = [form, _plural(form)]
    if form.endswith("s") and len(form) > 4 and not form.endswith("ss"):
        variants.append(form[:-1])
    return variants


class Suggester:
    """Vocabulary, gazetteer and model prepared once, then applied to many documents."""

    def __init__(
        self,
        vocabulary: Iterable[LabelTerms] = (),
        *,
        gazetteer: Gazetteer | None = None,
        model: Predictor | None = None,
        threshold: float = THRESHOLD,
        limit: int = LIMIT,
    ) -> None:
        self.vocabulary = tuple(vocabulary)
        self.model = model
        self.threshold = threshold
        self.limit = limit
        self._known = {terms.name.casefold(): terms.name for terms in self.vocabulary}
        self._matcher = Matcher()
        for terms in self.vocabulary:
            for form in (terms.name, *terms.aliases):
                self._matcher.add_all(_variants(form), terms.name)
        if gazetteer is not None:
            self._add_gazetteer(gazetteer)

    def _add_gazetteer(self, gazetteer: Gazetteer) -> None:
        """Register places; a place the blog already labels maps to the blog's spelling."""
        surface = gazetteer.surface_forms()
        by_key = {form_key(form): (name, prio) for form, (name, prio) in surface.items()}
        rename: dict[str, str] = {}
        for terms in self.vocabulary:
            for form in (terms.name, *terms.aliases):
                name, prio = by_key.get(form_key(form), ("", ALIAS + 1))
                if prio <= ALIAS:
                    rename.setdefault(name, terms.name)
        for place in gazetteer.names():
            if place.casefold() in self._known:
                rename.setdefault(place, self._known[place.casefold()])
        self._matcher.add_all(gazetteer.stop_phrases, None)
        for form, (name, _prio) in surface.items():
            self._matcher.add(form, rename.get(name, name), proper=True)

    def suggest(self, document: Document) -> list[Suggestion]:
        """Ranked suggestions for `document`, best first, above threshold, at most `limit`."""
        evidence = self._evidence(document)
        top = max((e.weight for e in evidence.values()), default=0.0)
        ranked = []
        for label, found in evidence.items():
            existing = label.casefold() in self._known
            score = self._score(found, top, existing)
            if score >= self.threshold:
                bonus = EXISTING_BONUS if existing else 0.0
                ranked.append((score + bonus, label, score, found, existing))
        ranked.sort(key=lambda row: (-row[0], row[1].casefold()))
        return [
            Suggestion(label, round(score, 3), _reason(label, found), not existing)
            for _rank, label, score, found, existing in ranked[: self.limit]
        ]

    def _evidence(self, document: Document) -> dict[str, _Evidence]:
        evidence: dict[str, _Evidence] = {}
        for section, weight in SECTION_WEIGHTS.items():
            for hit in self._matcher.find(getattr(document, section)):
                found = evidence.setdefault(hit.label, _Evidence())
                found.weight += weight
                found.forms[hit.form] += 1
        if self.model is not None:
            for label, probability in self.model.predict(document.text).items():
                if probability >= MODEL_FLOOR:
                    name = self._known.get(label.casefold(), label)
                    evidence.setdefault(name, _Evidence()).model = probability
        return evidence

    def _score(self, found: _Evidence, top: float, existing: bool) -> float:
        """Combine mention salience and model probability as independent evidence."""
        lexical = 0.0
        if found.weight:
            saturation = 1.0 - math.exp(-found.weight / SATURATION)
            lexical = saturation * (0.4 + 0.6 * found.weight / top)
        score = 1.0 - (1.0 - lexical) * (1.0 - found.model)
        if self.vocabulary and not existing:
            score *= NEW_PENALTY
        return score


def _reason(label: str, found: _Evidence) -> str:
    """One line a curator can check at a glance: "Iran — 9 mentions: Iran, Iranian, Tehran"."""
    parts = []
    mentions = sum(found.forms.values())
    if mentions:
        forms = ", ".join(form for form, _n in found.forms.most_common(MAX_FORMS_SHOWN))
        parts.append(f"{mentions} mention{'s' if mentions != 1 else ''}: {forms}")
    if found.model:
        parts.append(f"similar labelled posts ({found.model:.2f})")
    return f"{label} — {'; '.join(parts)}"


def suggest(
    document: Document,
    vocabulary: Iterable[LabelTerms] = (),
    *,
    gazetteer: Gazetteer | None = None,
    model: Predictor | None = None,
    threshold: float = THRESHOLD,
    limit: int = LIMIT,
) -> list[Suggestion]:
    """One-shot form of `Suggester(...).suggest(document)` for callers with one post."""
    suggester = Suggester(
        vocabulary, gazetteer=gazetteer, model=model, threshold=threshold, limit=limit
    )
    return suggester.suggest(document)
