"""Fragments rendered once per static build, instead of once per page that shows them.

A full build renders each post's article on its home, archive and label listings, five or
six times over. While `remembering()` is on (around a build's rendering: the workers it
forks inherit it), `remembered(macro, *args)` keeps the macro's output under a key made of
its arguments, each standing for itself or, when it has one, for its `memo_key`
(everything the fragment shows of it, as `Post.memo_key`). Anywhere else, and so on every
live page, it only calls the macro. A context variable, not a global: the mirror's updates
run on a thread beside the requests of `dateline serve`.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# Characters kept per process at most; past this, new fragments are rendered, not kept.
# A 10,000-post build keeps about 30 million (its bodies); a blog of long posts stops here.
MAX_KEPT_CHARS = 100_000_000


class _Kept:
    def __init__(self) -> None:
        self.fragments: dict[tuple, str] = {}
        self.chars = 0


_kept: ContextVar[_Kept | None] = ContextVar("dateline_fragments", default=None)


@contextmanager
def remembering() -> Iterator[None]:
    """Keep fragments until the block ends (a build: the data it renders holds still)."""
    token = _kept.set(_Kept())
    try:
        yield
    finally:
        _kept.reset(token)


def remembered(macro: Callable, *args: object) -> str:
    kept = _kept.get()
    if kept is None:
        return macro(*args)
    key = (macro, *(getattr(arg, "memo_key", arg) for arg in args))
    found = kept.fragments.get(key)
    if found is None:
        found = macro(*args)
        if kept.chars + len(found) <= MAX_KEPT_CHARS:
            kept.fragments[key] = found
            kept.chars += len(found)
    return found
