"""The WSGI fast path answers hostile requests as Django does: never a 500, and the same
status on a repeat read (served from the cache) as on the first (served by Django)."""

import pytest
from hypothesis import given, settings

from tests.fuzz.test_public_urls import POST_ONLY, READER_ANSWERS, ROUTES, real_paths, url_for
from tests.serving.wsgi import call_wsgi

__all__ = ["real_paths"]  # a fixture, used by name
GET_ROUTES = [(name, chain) for name, chain in ROUTES if name not in POST_ONLY]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "chain"), GET_ROUTES, ids=[name for name, _ in GET_ROUTES])
def test_repeat_reads_of_hostile_urls_answer_as_the_first(fast_app, real_paths, name, chain):
    @given(url=url_for(chain, real_paths.get(name, [])))
    # Fixed examples, no example database, no deadline: as tests/fuzz/conftest.py sets them.
    @settings(max_examples=40, deadline=None, database=None, derandomize=True)
    def ask(url: str) -> None:
        first = call_wsgi(fast_app, url)
        again = call_wsgi(fast_app, url)
        assert first[0] in READER_ANSWERS and again[0] == first[0], url

    ask()
