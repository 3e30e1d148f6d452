"""Fragments kept while a build renders, and only then: keyed by what they show."""

import threading

from dateline.serving import fragments
from dateline.serving.fragments import remembered, remembering


class Counted:
    """A macro stand-in that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, *args: object) -> str:
        self.calls += 1
        return f"<article>{args}</article>"


class Shown:
    def __init__(self, pk: int, title: str) -> None:
        self.pk, self.title = pk, title

    @property
    def memo_key(self) -> tuple:
        return (self.pk, self.title)


def test_outside_a_build_every_call_renders():
    macro = Counted()
    assert remembered(macro, "a") == remembered(macro, "a") == "<article>('a',)</article>"
    assert macro.calls == 2


def test_inside_a_build_each_key_renders_once_and_the_memo_ends_with_it():
    macro = Counted()
    with remembering():
        first = remembered(macro, Shown(1, "Ferry"), "h2")
        assert remembered(macro, Shown(1, "Ferry"), "h2") == first  # another object, same key
        remembered(macro, Shown(1, "Ferry"), "h1")  # another argument: another fragment
        remembered(macro, Shown(1, "Ferry strike"), "h2")  # what it shows changed
        remembered(macro, Shown(2, "Ferry"), "h2")
        assert macro.calls == 4
    remembered(macro, Shown(1, "Ferry"), "h2")
    assert macro.calls == 5


def test_a_nested_block_starts_empty_and_gives_the_outer_memo_back():
    macro = Counted()
    with remembering():
        remembered(macro, "a")
        with remembering():
            remembered(macro, "a")
        remembered(macro, "a")
    assert macro.calls == 2


def test_another_thread_does_not_see_a_build_memo():
    """`dateline serve` answers requests beside the mirror's update thread."""
    macro = Counted()
    with remembering():
        remembered(macro, "a")
        worker = threading.Thread(target=lambda: [remembered(macro, "a") for _ in range(3)])
        worker.start()
        worker.join()
    assert macro.calls == 4


def test_the_memo_stops_growing_at_its_bound(monkeypatch):
    macro = Counted()  # room for three of its fragments, all of one length
    monkeypatch.setattr(fragments, "MAX_KEPT_CHARS", 3 * len(macro(0)))
    with remembering():
        for _ in range(2):
            for n in range(5):
                remembered(macro, n)
    assert macro.calls == 1 + 3 + 2 * 2  # three kept; the other two rendered both times
