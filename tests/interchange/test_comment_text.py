"""The import's fast paths for comment text give exactly what the slow, obvious ones give."""

from django.utils.html import urlize
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline.core.text import clean_text
from dateline.interchange.comment_text import (
    _PLAIN,
    _parsed_to_text,
    _plain_to_text,
    _urlize,
    html_to_text,
    text_to_html,
)

SAME_EVERY_RUN = settings(max_examples=400, derandomize=True, database=None, deadline=None)
PIECES = [
    "a", "word", " ", "  ", "\t", "\n", "\n\n", "\n\n\n", "\xa0", "\u2003", "é", "العراق", ">",
    '"', "'", ".", ",", "(", ")", "<br>", "<br />", "<br/>", "<BR>", "<br\n/>", "\r", "\x0c",
    "x.example", "http://x.example/a?b=1", "www.y.org.", "me@z.net", "a:b", "@", "::",
    "<b>", "&amp;", "&",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@SAME_EVERY_RUN
@given(texts)
def test_text_with_only_line_breaks_reads_as_the_parser_reads_it(markup):
    if _PLAIN.fullmatch(markup) and markup.strip():
        assert _plain_to_text(markup) == _parsed_to_text(markup)


@SAME_EVERY_RUN
@given(texts)
def test_urlize_word_by_word_equals_djangos(text):
    assert _urlize(text) == urlize(text, nofollow=True, autoescape=True)


def test_exported_blogger_comments_take_the_fast_path():
    markup = "Good point.<br />See http://x.example/3"
    assert _PLAIN.fullmatch(markup)
    assert html_to_text(markup) == "Good point.\nSee http://x.example/3"


def test_a_long_word_without_links_is_linear():
    """One regex over the text: a 200,000-character word costs one pass, not one per start."""
    word = "a" * 200_000
    assert _urlize(word) == word


@SAME_EVERY_RUN
@given(texts)
def test_stored_comment_text_survives_export_and_import_unchanged(markup):
    """Whatever a file held, the text we store reads back the same from our own export:
    re-importing an export must never rewrite a comment (WXR's whitespace did)."""
    stored = clean_text(html_to_text(markup)).strip()
    assert html_to_text(text_to_html(stored)) == stored
