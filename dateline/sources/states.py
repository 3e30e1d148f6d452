"""A source's state from the outcome of its latest check and the streak before it.

Pure: no database, no HTTP. A source is called `dead` only after DEAD_AFTER failed
checks in a row that each found the page gone, so a flapping server never is; any
answer from the page (or a refusal to show it) ends the streak.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

DEAD_AFTER = 3


class State(StrEnum):
    OK = "ok"
    REDIRECTED = "redirected"  # the page moved; the new address is kept
    BLOCKED = "blocked"  # 401/403/429, a bot wall or robots.txt: never called dead
    SUSPECT = "suspect"  # looked gone, not yet DEAD_AFTER times in a row
    DEAD = "dead"
    UNREACHABLE = "unreachable"  # timeouts and server errors: the site, not the page


class Outcome(StrEnum):
    """What one check found."""

    OK = "ok"
    MOVED = "moved"
    BLOCKED = "blocked"
    GONE = "gone"  # 404/410, no such host, refused, redirect home, soft 404, parked
    UNREACHABLE = "unreachable"


NEEDS_ATTENTION = frozenset({State.SUSPECT, State.DEAD, State.UNREACHABLE})


@dataclass(frozen=True)
class Standing:
    """A source's state and its streaks of failed checks (any kind, and `gone` ones)."""

    state: str = ""  # "" until the first check
    failures: int = 0
    gone_streak: int = 0


def advance(standing: Standing, outcome: Outcome) -> Standing:
    """The standing after one more check."""
    if outcome is Outcome.OK:
        return Standing(State.OK)
    if outcome is Outcome.MOVED:
        return Standing(State.REDIRECTED)
    if outcome is Outcome.BLOCKED:
        return Standing(State.BLOCKED)
    failures = standing.failures + 1
    gone = standing.gone_streak + 1 if outcome is Outcome.GONE else 0
    if standing.state == State.DEAD or gone >= DEAD_AFTER:
        return Standing(State.DEAD, failures, gone)  # only an answer brings it back
    state = State.SUSPECT if outcome is Outcome.GONE else State.UNREACHABLE
    return Standing(state, failures, gone)
