"""Values derived from content, computed once per content version.

Every write readers could see moves the content version (core.versioning), so a value
kept under the version it was computed at can never be served stale, on one process or
many. This is the one way Dateline keeps such values: in the shared cache when every
process should reuse one computation (the sidebar, the blog's settings, the labels
search suggests), or in the process when even a cache round trip is too much for how
often it is read (`per_version`).
"""

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.core.cache import cache

from dateline.core.versioning import current_version

T = TypeVar("T")

SHARED_SECONDS = 24 * 3600  # an old version's entries are never read again: let them go
_MISSING = object()


def shared(name: str, compute: Callable[[], T]) -> T:
    """`compute()` for the current version, through the default cache (all processes)."""
    key = f"dateline:{name}:{current_version()}"
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = compute()
        cache.set(key, found, timeout=SHARED_SECONDS)
    return found  # type: ignore[return-value]


def per_version(compute: Callable[[], T]) -> Callable[[], T]:
    """Decorate a function of no arguments: called once per version in this process."""
    kept: list = [None, None]  # [version, value]

    @wraps(compute)
    def current() -> T:
        version = current_version()
        if kept[0] != version:
            kept[1] = compute()
            kept[0] = version
        return kept[1]

    return current
