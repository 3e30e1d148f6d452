"""Label suggestions for the editor: the labelling app's, less the labels already chosen."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from dateline.labelling.services import suggest_labels_for
from dateline.labelling.suggest import Suggestion

logger = logging.getLogger(__name__)
SHOWN = 6


def label_suggestions(title: str, text: str, chosen: Iterable[str]) -> list[Suggestion]:
    """Suggestions not yet on the post; a failure shows none rather than losing the page."""
    try:
        return suggest_labels_for(title, text, limit=SHOWN, exclude=chosen)
    except Exception:  # suggestions help; they must never stop an author from writing
        logger.exception("Label suggestions failed")
        return []
