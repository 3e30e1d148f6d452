"""HTML → Markdown → our renderer → HTML keeps what a story is made of.

The desk edits clipped stories as Markdown; a conversion that dropped a heading, a
quote, a list, a link or a figure would silently change the story on its next save.
"""

import re

import pytest

from dateline.core.sanitize import sanitize_post_html
from dateline.posts.rendering import render_markdown
from dateline.posts.tomarkdown import figure_html, html_to_markdown

STORY = (
    "<h2>Two winters in the boat shed</h2>"
    "<p>The <strong>oak</strong> came from <em>the estate</em>; see the "
    '<a href="https://parish.example/ferry">parish page</a>.</p>'
    "<h3>Who did the work</h3>"
    "<blockquote><p>We did not want a museum piece.</p><p>We wanted a boat.</p></blockquote>"
    "<ul><li>one pound for an adult</li><li>children travel free</li></ul>"
    "<ol><li>first the hull</li><li>then the rope</li></ol>"
    '<figure><img src="https://gazette.example/img/crossing.png" alt="Passengers">'
    "<figcaption>The first passengers cross.</figcaption></figure>"
    '<p><img src="/media/images/ab/river.png" alt="The river"></p>'
)

TRICKY_TEXT = [
    "A literal &lt;b&gt;tag&lt;/b&gt; and &amp;copy; stay text.",
    "Stars *here* and _under_scores_ and snake_case_names.",
    "1. not a list",
    "# not a heading",
    "- not a bullet",
    "&gt; not a quote",
    "Brackets [like this](not a link) and `ticks`.",
]


def normalized(html: str) -> str:
    """Sanitized markup without the whitespace between tags (the renderer adds newlines)."""
    return re.sub(r">\s+<", "><", sanitize_post_html(html)).strip()


def round_trip(html: str) -> str:
    return normalized(render_markdown(html_to_markdown(html)))


def test_headings_quotes_lists_links_figures_and_images_survive_the_round_trip():
    assert round_trip(STORY) == normalized(STORY)


def test_the_markdown_reads_as_markdown_with_each_figure_on_one_line():
    markdown = html_to_markdown(STORY)
    assert "## Two winters in the boat shed" in markdown
    assert "> We did not want a museum piece." in markdown
    assert "- one pound for an adult" in markdown and "1. first the hull" in markdown
    assert "[parish page](https://parish.example/ferry)" in markdown
    assert "![The river](/media/images/ab/river.png)" in markdown
    figure = figure_html(
        "https://gazette.example/img/crossing.png", "Passengers", "The first passengers cross."
    )
    assert figure in markdown.splitlines()
    assert "<p>" not in markdown and "<h2>" not in markdown


@pytest.mark.parametrize("text", TRICKY_TEXT)
def test_text_that_looks_like_markup_stays_text(text):
    html = f"<p>{text}</p>"
    assert round_trip(html) == normalized(html)


def test_scripts_and_handlers_never_reach_the_markdown():
    markdown = html_to_markdown('<p onclick="x()">Hi</p><script>alert(1)</script>')
    assert markdown == "Hi\n"


def test_an_inserted_figure_escapes_what_the_author_typed():
    assert figure_html("/media/a.png", 'A "quote"', "<b>x</b>") == (
        '<figure><img src="/media/a.png" alt="A &quot;quote&quot;">'
        "<figcaption>&lt;b&gt;x&lt;/b&gt;</figcaption></figure>"
    )
    bare = figure_html("/media/a.png", "", " ")
    assert bare == '<figure><img src="/media/a.png" alt=""></figure>'
