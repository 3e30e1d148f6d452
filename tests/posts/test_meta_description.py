"""A post's meta description: its first 40 words, read from only the head of a long body."""

import html

import pytest
from django.template.defaultfilters import truncatewords
from django.utils.html import strip_tags
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from dateline.posts.models import DESCRIPTION_WORDS, Post
from dateline.posts.rendering import render_html, render_markdown, text_head


def whole_description(body_html: str) -> str:
    """What the description was before it read only the head: the whole body stripped."""
    return truncatewords(html.unescape(strip_tags(body_html)), DESCRIPTION_WORDS)


WORD = st.sampled_from(["ferry", "port", "talks", "A&amp;B", "&lt;b&gt;", "x&nbsp;y", "café",
                        "naïve", "—", "quay's", "1,200"])  # fmt: skip
# Markup that lands where a cut may fall: inline tags splitting a word, long attributes
# holding "<" and ">", entities, comments (removed by the sanitizer), empty elements.
PIECE = st.one_of(
    WORD,
    WORD.map(lambda w: f"<em>{w}</em>"),
    WORD.map(lambda w: f"pre<strong>{w}</strong>post"),
    st.integers(0, 3000).map(lambda n: f'<a href="https://news.example/{"q" * n}">link</a>'),
    st.just('<abbr title="a<b>c</p> &amp; d">EU</abbr>'),
    st.just("<!-- a <p>hidden</p> comment -->"),
    st.just("<br>"),
    st.just("</p><p>"),
    st.just('<img src="https://img.example/x.png" alt="x < y">'),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECE, max_size=400), st.sampled_from([" ", "", "\n"]))
def test_head_gives_the_same_description_as_the_whole_body(pieces, joiner):
    body_html = render_html("<p>" + joiner.join(pieces) + "</p>")
    post = Post(body_html=body_html)
    assert post.meta_description == whole_description(body_html)


# Runs of words between links long enough that a cut falls after few words: the fortieth
# and forty-first words land on every side of a cut.
SEGMENT = st.tuples(st.integers(0, 45), st.integers(0, 2500), st.booleans())


@settings(max_examples=300, deadline=None)
@given(st.lists(SEGMENT, max_size=12))
def test_words_around_a_cut_give_the_same_description(segments):
    parts, n = [], 0
    for count, link_length, split_word in segments:
        parts.append(" ".join(f"w{n + k}" for k in range(count)))
        n += count
        link = f'<a href="https://news.example/{"q" * link_length}">l{n}</a>'
        parts.append(f"x{link}y" if split_word else f" {link} ")  # a word split by a tag
    body_html = render_html("<p>" + "".join(parts) + "</p>")
    assert Post(body_html=body_html).meta_description == whole_description(body_html)


def test_a_long_body_is_cut_after_forty_words_with_an_ellipsis():
    source = "\n\n".join(f"Paragraph {n} says the **ferry** left [port](https://port.example/{n})."
                         for n in range(2000))  # fmt: skip
    body_html = render_markdown(source)
    description = Post(body_html=body_html).meta_description
    assert description.split()[:3] == ["Paragraph", "0", "says"]
    assert len(description.split()) == DESCRIPTION_WORDS + 1  # the words, then "…"
    assert description.endswith(" …")
    assert description == whole_description(body_html)


def test_text_head_reads_less_than_the_whole_of_a_long_body():
    body_html = render_markdown("\n\n".join(["Rain on the quay."] * 5000))
    head = text_head(body_html, 40)
    assert len(head.split()) > 40
    assert len(head) < len(body_html) // 10


def test_a_short_body_is_whole_without_an_ellipsis():
    assert Post(body_html="<p>Dock&nbsp;workers &amp; <em>crews</em> walked out.</p>"
                ).meta_description == "Dock workers & crews walked out."  # fmt: skip


def test_the_excerpt_wins_over_the_body():
    post = Post(excerpt="Short <b>excerpt</b> &amp; more", body_html="<p>The body.</p>")
    assert post.meta_description == "Short excerpt & more"


@pytest.mark.django_db
def test_the_post_page_carries_the_description(client):
    body = " ".join(f"word{n}" for n in range(300))
    post = Post.objects.create(title="Long story", body_source=body, status="published")
    tree = lxml_html.fromstring(client.get(post.path).content)
    content = tree.find(".//meta[@name='description']").get("content")
    assert content == " ".join(f"word{n}" for n in range(DESCRIPTION_WORDS)) + " …"


def test_a_quoted_greater_than_sign_does_not_end_a_tag():
    assert text_head('<p><a title="x > y" href="/a">Ferry</a> news</p>', 40) == "Ferry news"
