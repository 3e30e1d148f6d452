"""Shared helpers for the interchange tests: fixture files and record splitting."""

from collections import Counter
from pathlib import Path

import pytest

from dateline.interchange.records import CommentRecord, PostRecord, Record, SiteRecord

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixture_file():
    """Path to a hand-written export under tests/interchange/fixtures/."""
    return lambda name: FIXTURES / name


def split(
    records: list[Record],
) -> tuple[list[SiteRecord], dict[str, PostRecord], list[CommentRecord]]:
    """Sites, posts by import id, and comments (in stream order) from a reader's output."""
    sites = [r for r in records if isinstance(r, SiteRecord)]
    posts = {r.import_id: r for r in records if isinstance(r, PostRecord)}
    comments = [r for r in records if isinstance(r, CommentRecord)]
    return sites, posts, comments


def read_all(reader, path, skipped: Counter | None = None) -> list[Record]:
    return list(reader(path, skipped=skipped if skipped is not None else Counter()))
