"""core.memo: a value is computed once per content version, and again once it moves."""

import pytest

from dateline.core import memo
from dateline.core.versioning import bump_version

pytestmark = pytest.mark.django_db


def test_shared_values_are_computed_once_per_version():
    calls = []

    def compute() -> list:
        calls.append(1)
        return []  # falsy: a stored empty answer is still an answer

    assert memo.shared("test-memo", compute) == []
    assert memo.shared("test-memo", compute) == []
    assert len(calls) == 1
    bump_version()
    memo.shared("test-memo", compute)
    assert len(calls) == 2


def test_per_version_values_live_in_the_process_until_the_version_moves():
    calls = []

    @memo.per_version
    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert compute() == compute() == 1
    bump_version()
    assert compute() == compute() == 2
