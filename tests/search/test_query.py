"""The query parser: what a reader types becomes words, phrases and prefixes, never syntax."""

import pytest

from dateline.search.backends.base import highlight
from dateline.search.query import (
    MAX_PREFIX_TERMS,
    MAX_QUERY_CHARS,
    MAX_TERMS,
    MIN_PREFIX_CHARS,
    ParsedQuery,
    Term,
    TermKind,
    fts5_match,
    parse_query,
)


def test_words_are_case_folded_and_separated_by_anything_not_a_letter_or_digit():
    query = parse_query("Harbour, FERRY_strike!")
    assert query.words == ["harbour", "ferry", "strike"]
    assert fts5_match(query) == '"harbour" "ferry" "strike"'


def test_quoted_words_make_a_phrase_and_a_star_makes_a_prefix():
    query = parse_query('"Grand Harbour" bagh* x*')
    assert query.terms == (
        Term(TermKind.PHRASE, ("grand", "harbour")),
        Term(TermKind.PREFIX, ("bagh",)),
        Term(TermKind.WORD, ("x",)),  # one letter is too short to be a prefix
    )
    assert fts5_match(query) == '"grand harbour" "bagh" * "x"'
    assert query.text == '"grand harbour" bagh* x'


def test_short_prefixes_are_words_and_prefixes_past_the_limit_are_left_out():
    """A prefix costs a merge of every word that begins so: few, and long enough."""
    assert (MIN_PREFIX_CHARS, MAX_PREFIX_TERMS) == (3, 2)
    query = parse_query("se* harb* Ferr* gat* mal* x")
    assert query.terms == (
        Term(TermKind.WORD, ("se",)),
        Term(TermKind.PREFIX, ("harb",)),
        Term(TermKind.PREFIX, ("ferr",)),
        Term(TermKind.WORD, ("x",)),
    )
    assert query.short_prefixes == ("se*",)
    assert query.dropped_prefixes == ("gat*", "mal*")
    assert fts5_match(query) == '"se" "harb" * "ferr" * "x"'
    assert parse_query("harb* harb* ferr*").dropped_prefixes == ()  # a repeat counts once


def test_an_unclosed_quote_runs_to_the_end_and_a_one_word_phrase_is_a_word():
    assert parse_query('"closed port').terms == (Term(TermKind.PHRASE, ("closed", "port")),)
    assert parse_query('"port"').terms == (Term(TermKind.WORD, ("port",)),)


def test_accented_and_non_latin_words_are_kept():
    assert parse_query("Côte d\u2019Ivoire 日本").words == ["côte", "d", "ivoire", "日本"]


@pytest.mark.parametrize(
    "hostile",
    ['"', "*", "NEAR(", "' OR 1=1--", "-", "((", ")", "AND OR NOT", "a:b ^c", "\x00\x1b[31m",
     '""""', "title:evil", "NEAR(a b, 3)", "{title}: x", "x" * 10_000],
)  # fmt: skip
def test_hostile_input_leaves_only_quoted_words(hostile):
    match = fts5_match(parse_query(hostile))
    # Every term is a quoted run of letters or digits, optionally followed by " *".
    for part in match.split('" "'):
        assert all(ch.isalnum() or ch in ' "*' for ch in part), match


def test_operators_are_only_words():
    query = parse_query("iran AND NOT iraq OR NEAR(")
    assert fts5_match(query) == '"iran" "and" "not" "iraq" "or" "near"'


def test_size_is_bounded():
    query = parse_query(" ".join(f"word{n}" for n in range(5000)))
    assert len(query.terms) == MAX_TERMS
    assert len(parse_query("y" * 10_000).text) <= MAX_QUERY_CHARS


def test_empty_or_punctuation_only_queries_are_empty():
    for text in ["", "   ", '"', "*", "-", "()", "\x00"]:
        assert parse_query(text) == ParsedQuery()
        assert not parse_query(text)


def test_repeated_terms_count_once():
    assert parse_query("port Port PORT").words == ["port"]


def test_highlighting_escapes_text_and_adds_only_our_marks():
    raw = '<b onclick="x">\x02Bagh\x03dad &amp; \x04i>'
    assert highlight(raw) == (
        "&lt;b onclick=&quot;x&quot;&gt;<mark>Bagh</mark>dad &amp;amp; &lt;i&gt;"
    )
