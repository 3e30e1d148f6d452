"""Text cleaning shared by every input path (forms, files, imports, clips).

XML 1.0 (feeds, exports) cannot carry most C0 control characters, and none of
them mean anything in a blog post, so they are removed at the edge.
"""

import re

# C0 controls except tab, newline and carriage return; DEL; C1 controls;
# and the two non-characters XML forbids.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def strip_control_chars(text: str) -> str:
    """Return `text` without control characters that XML and HTML cannot carry."""
    return _CONTROL_CHARS.sub("", text)


def normalize_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF so stored text compares equal across platforms."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_text(text: str) -> str:
    """Normalize newlines and strip control characters: the form we store."""
    return strip_control_chars(normalize_newlines(text))
