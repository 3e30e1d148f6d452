"""How label names compare and how a label path names one or more labels."""

import unicodedata


def label_key(name: str) -> str:
    """The comparison key: "united  States" and "United States" are the same label."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def split_aliases(aliases: str) -> list[str]:
    """A label's aliases field: one alias a line, blank lines and edge spaces ignored."""
    return [line.strip() for line in aliases.splitlines() if line.strip()]


def split_label_expression(expression: str) -> list[str]:
    """`A+B` on a Blogger label path means posts labelled both A and B."""
    return [part for part in (piece.strip() for piece in expression.split("+")) if part]
