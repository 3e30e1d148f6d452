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

MAX_KEPT = 50_000  # fragments per process; past this, new ones are rendered, not kept

_kept: ContextVar[dict | None] = ContextVar("dateline_fragments", default=None)


@contextmanager
def remembering() -> Iterator[None]:
    """Keep fragments until the block ends (a build: the data it renders holds still)."""
    token = _kept.set({})
    try:
        yield
    finally:
        _kept.reset(token)


def remembered(macro: Callable, *args: object) -> str:
    kept = _kept.get()
    if kept is None:
        return macro(*args)
    key = (macro, *(getattr(arg, "memo_key", arg) for arg in args))
    found = kept.get(key)
    if found is None:
        found = macro(*args)
        if len(kept) < MAX_KEPT:
            kept[key] = found
    return found
