"""Which stored URLs may become links: only http and https, whatever a file or form said."""

from urllib.parse import urlsplit

LINKABLE_SCHEMES = frozenset({"http", "https"})


def linkable_url(url: str) -> str:
    """`url` when it is an absolute http(s) address, else "" (javascript:, data:, junk)."""
    candidate = (url or "").strip()
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return ""
    if parts.scheme.lower() not in LINKABLE_SCHEMES or not parts.netloc:
        return ""
    return candidate
