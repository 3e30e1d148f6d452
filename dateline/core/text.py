"""Text cleaning shared by every input path (forms, files, imports, clips).

XML 1.0 (feeds, exports) cannot carry most C0 control characters, and none of
them mean anything in a blog post, so they are removed at the edge.

Names (a commenter's, a label's, a source's publisher and author) lose the bidi
controls too: an override in a name reverses the text shown after it ("said…", the
date, the next name), which lets a name pass for another. Running text keeps them,
since right-to-left writing needs its marks.
"""

import re

# C0 controls except tab, newline and carriage return; DEL; C1 controls;
# and the two non-characters XML forbids.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

# Bidirectional formatting: LRM, RLM, ALM; embeddings and overrides (LRE, RLE, PDF, LRO,
# RLO); isolates (LRI, RLI, FSI, PDI).
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def strip_control_chars(text: str) -> str:
    """Return `text` without control characters that XML and HTML cannot carry."""
    return _CONTROL_CHARS.sub("", text)


def normalize_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF so stored text compares equal across platforms."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_text(text: str) -> str:
    """Normalize newlines and strip control characters: the form we store."""
    return strip_control_chars(normalize_newlines(text))


def clean_name(text: str) -> str:
    """A name as we store it: clean_text, no bidi controls, whitespace runs made one space."""
    return " ".join(_BIDI_CONTROLS.sub("", clean_text(text)).split())
