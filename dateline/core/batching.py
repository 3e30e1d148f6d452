"""Long lists of ids cut into pieces one query can name.

SQLite refuses a statement with more than 999 parameters on the oldest builds still
shipped, and a query naming thousands of ids is slow on any database; every reader
of "these posts" goes through here so the limit has one home.
"""

from collections.abc import Iterator, Sequence
from typing import TypeVar

Items = TypeVar("Items", bound=Sequence)

QUERY_PARAMETERS = 900  # ids in one IN (...): under SQLite's oldest limit of 999


def in_batches(items: Items, size: int = QUERY_PARAMETERS) -> Iterator[Items]:
    """Consecutive slices of `items` (of its own type: a list gives lists), each at
    most `size` long."""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, not {size}")
    for start in range(0, len(items), size):
        yield items[start : start + size]
