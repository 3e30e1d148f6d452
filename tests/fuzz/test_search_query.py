"""Whatever a reader types in the search box parses into bounded, harmless terms."""

import re

from hypothesis import given
from hypothesis import strategies as st

from dateline.search.query import MAX_TERMS, MAX_WORD_CHARS, fts5_match, parse_query
from tests.fuzz.strategies import hostile_text

FTS5_SYNTAX = ['"', "*", "(", ")", "NEAR", "AND", "OR", "NOT", ":", "^", "-", "+"]


@given(raw=hostile_text | st.lists(st.sampled_from([*FTS5_SYNTAX, " ", "a", "é"])).map("".join))
def test_any_query_parses_into_bounded_terms(raw: str):
    query = parse_query(raw)
    assert len(query.terms) <= MAX_TERMS
    for term in query.terms:
        assert term.words and all(re.fullmatch(r"[^\W_]+", w) for w in term.words)
        assert all(len(w) <= MAX_WORD_CHARS for w in term.words)
    match = fts5_match(query) if query else ""
    assert match.count('"') % 2 == 0  # every word is quoted: no operator reaches FTS5


@given(word=st.text(min_size=1, max_size=10), times=st.integers(500, 5000))
def test_a_huge_query_costs_no_more_than_a_short_one(word: str, times: int):
    assert len(parse_query((word + " ") * times).terms) <= MAX_TERMS
