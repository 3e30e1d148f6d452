"""Label suggestions for a clipped draft: shown as checkboxes, never applied silently.

The labelling app (below clipping: it imports nothing of it) ranks suggestions from the
blog's vocabulary, a gazetteer and a learned model. When ranking fails, the blog's own
labels (and their aliases) that the text mentions are the suggestions.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from dateline.labelling.services import suggest_labels_for
from dateline.posts.models import Label

logger = logging.getLogger(__name__)

LIMIT = 8


@dataclass(frozen=True)
class LabelSuggestion:
    """A label the author may tick; existing labels come pre-ticked, new ones do not."""

    name: str
    reason: str
    new: bool


def suggest_labels(title: str, text: str) -> list[LabelSuggestion]:
    """Ranked suggestions for a draft's title and text (plain or HTML)."""
    try:
        ranked = suggest_labels_for(title, text)
    except Exception:  # suggestions are a help, never a reason to lose the clip
        logger.exception("Label suggestions failed; falling back to the blog's labels")
        return existing_labels_mentioned(f"{title}\n\n{text}")
    return [
        LabelSuggestion(str(getattr(s.label, "name", s.label)), str(s.reason), bool(s.new))
        for s in ranked
    ]


def existing_labels_mentioned(text: str, limit: int = LIMIT) -> list[LabelSuggestion]:
    """The blog's labels whose name or an alias appears in `text` as whole words."""
    found: list[tuple[int, LabelSuggestion]] = []
    for label in Label.objects.only("name", "aliases"):
        counts = {term: _mentions(term, text) for term in (label.name, *label.alias_list)}
        total = sum(counts.values())
        if total:
            words = ", ".join(f'"{term}"' for term, n in counts.items() if n)
            found.append((total, LabelSuggestion(label.name, f"the text mentions {words}", False)))
    found.sort(key=lambda item: (-item[0], item[1].name.casefold()))
    return [suggestion for _, suggestion in found[:limit]]


def _mentions(term: str, text: str) -> int:
    if not term.strip():
        return 0
    pattern = r"(?<!\w)" + re.escape(term.strip()) + r"(?!\w)"
    return len(re.findall(pattern, text, flags=re.IGNORECASE))
