"""extract_article on pages of our own making: structure kept, junk and hostile HTML gone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import html5lib
import pytest
from lxml import etree
from lxml.html import HtmlElement

from dateline.clipping.errors import ExtractionError
from dateline.clipping.extract import ExtractedArticle, extract_article, plain_text
from dateline.core.sanitize import is_clean

FIXTURES = Path(__file__).parent / "fixtures"
URL = "https://courier.example/news/2024/03/05/lighthouse"


@pytest.fixture(scope="module")
def article() -> ExtractedArticle:
    return extract_article((FIXTURES / "article.html").read_bytes(), URL)


@pytest.fixture(scope="module")
def hostile() -> ExtractedArticle:
    raw = (FIXTURES / "hostile.html").read_bytes()  # ISO-8859-1, declared in a meta tag
    return extract_article(raw, "https://journal.example/ville/marche.html")


def _tags(html: str) -> list[str]:
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    return [el.tag for el in tree.iter() if isinstance(el.tag, str)]


def test_metadata_comes_from_the_page(article):
    assert article.title == "Harbour town votes to keep its lighthouse lit"
    assert article.author == "Morwenna Trevail"
    assert article.published == datetime(2024, 3, 5, 18, 30, tzinfo=UTC)
    assert article.publisher == "The Coastal Courier"
    assert article.canonical_url == "https://courier.example/news/2024/03/lighthouse-vote"
    assert article.description.startswith("After a long night of debate")
    assert article.language == "en"
    assert article.url == URL


def test_the_lead_image_and_its_caption_are_found_and_made_absolute(article):
    assert article.lead_image_url == "https://courier.example/media/2024/lighthouse-dusk.jpg"
    assert article.lead_image_caption == "The Porthmere light at dusk, seen from the north quay."


def test_the_body_keeps_paragraphs_subheadings_quotes_and_lists(article):
    tags = _tags(article.body_html)
    assert tags.count("h2") == 2
    assert "<h2>A long night of debate</h2>" in article.body_html
    assert "<blockquote><p>We are not voting for a postcard." in article.body_html
    assert tags.count("li") == 3
    assert tags.count("p") >= 7


def test_the_title_is_not_repeated_in_the_body_and_no_h1_remains(article, hostile):
    assert "Harbour town votes" not in article.body_text
    assert "h1" not in _tags(article.body_html)
    assert "<h2>Une halle rénovée</h2>" in hostile.body_html  # an h1 inside the body


def test_links_survive_and_relative_ones_become_absolute(article):
    assert (
        '<a href="https://courier.example/news/2023/11/lantern-survey" rel="noopener noreferrer">'
        "an engineers' report last November</a>"
    ) in article.body_html
    assert '<a href="https://council.example/lighthouse"' in article.body_html


def test_the_base_element_decides_where_relative_links_point(hostile):
    assert 'href="https://journal.example/ville/photos/charpente.html"' in hostile.body_html


@pytest.mark.parametrize(
    "junk",
    ["Subscribe today", "Buy Glimmer soap", "Gulls steal chips", "Cookie settings", "SPONSORED"],
)
def test_navigation_ads_and_footers_do_not_come_through(article, junk):
    assert junk not in article.body_text
    assert junk not in article.body_html


@pytest.mark.parametrize("which", ["article", "hostile"])
def test_no_script_handler_or_javascript_url_survives(article, hostile, which):
    result = {"article": article, "hostile": hostile}[which]
    html = result.body_html.lower()
    for bad in ("<script", "onerror", "onclick", "onmouseover", "javascript:", "style=", "alert"):
        assert bad not in html
    assert is_clean(result.body_html)


def test_a_share_image_with_a_javascript_url_is_dropped(hostile):
    assert hostile.lead_image_url is None


def test_the_declared_charset_of_bytes_is_honoured(hostile):
    assert hostile.title == "Le marché couvert rouvre ses portes"
    assert "Après deux années de travaux" in hostile.body_text
    assert hostile.language == "fr"


def test_text_and_html_say_the_same_thing(article):
    assert "Councillors in Porthmere voted late on Tuesday" in article.body_text
    assert "- a volunteer rota so that the tower can open to visitors in summer" in (
        article.body_text
    )
    assert "<" not in article.body_text


def test_a_str_and_bytes_give_the_same_article(article):
    text = (FIXTURES / "article.html").read_text(encoding="utf-8")
    assert extract_article(text, URL) == article


@pytest.mark.parametrize(
    "page",
    [
        b"",
        "   ",
        (FIXTURES / "no-article.html").read_bytes(),
        b"<html><head><script>var story = 1;</script></head><body><div></div></body></html>",
    ],
)
def test_a_page_without_an_article_says_so(page):
    with pytest.raises(ExtractionError) as error:
        extract_article(page, "https://example.com/")
    assert error.value.message == "No article found on that page."


def test_the_result_is_immutable(article):
    with pytest.raises(AttributeError):
        article.title = "changed"  # type: ignore[misc]


# The fast paths below must find exactly what trafilatura's own readers find.


@pytest.mark.parametrize(
    "page",
    [
        (FIXTURES / "article.html").read_bytes(),
        (FIXTURES / "hostile.html").read_bytes(),  # declared ISO-8859-1
        (FIXTURES / "rope-ferry.html").read_text(encoding="utf-8"),
        '<?xml version="1.0" encoding="utf-8"?><html><body><p>Declared</p></body></html>',
        "just some words, no markup at all",
        b"<p>a lone fragment</p>",
    ],
)
def test_our_parser_reads_a_page_as_trafilatura_does(page):
    from lxml import etree
    from trafilatura.utils import load_html

    from dateline.clipping.extract import _load_html

    ours, theirs = _load_html(page), load_html(page)
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert etree.tostring(ours) == etree.tostring(theirs)
        assert all(isinstance(el, HtmlElement) for el in ours.iter(etree.Element))


_BYLINE_PAGES = {
    "rel-author link": '<p>By <a rel="author" href="/p/ann">Ann Hale</a></p>',
    "author class": '<div class="story-author">Written by Bo Dee</div>',
    "byline in a comment thread is skipped": (
        '<section id="comments"><span class="author">Troll Person</span></section>'
        '<span class="byline">Cy Young</span>'
    ),
    "date inside the byline is left out": (
        '<div class="byline">Di Evans <time>5 March 2024</time> in Porthmere</div>'
    ),
    "caption credit is not the byline": (
        '<figure><span class="author">Photo Agency</span></figure><p class="writer">Ed Ward</p>'
    ),
    "nested discarded part keeps its tail": (
        '<div class="author-box">Fay Gold<span class="date">Monday</span>, Reporter</div>'
    ),
    "specific beats generic though later": (
        '<p class="author-bio-generic">Gil Ho writes things</p>'
        '<span class="author-name">Hal Ito</span>'
    ),
    "an author element": "<author>Ida Jones</author>",
    "too long to be a name": f'<div class="author">{"word " * 40}</div>',
    "nothing at all": "<p>No byline here.</p>",
}


@pytest.mark.parametrize("body", _BYLINE_PAGES.values(), ids=_BYLINE_PAGES.keys())
def test_the_byline_is_the_one_trafilatura_finds(body):
    from trafilatura.metadata import extract_author

    from dateline.clipping._metadata import find_author
    from dateline.clipping.extract import _load_html

    tree = _load_html(f"<html><head><title>t</title></head><body>{body}</body></html>")
    assert find_author(tree) == extract_author(tree)


_JSON_LD = {
    "plain": '{"@context": "https://schema.org", "@type": "NewsArticle",\n'
    '  "headline": "Ferry  runs again", "author": {"@type": "Person", "name": "Jo Ark"},\n'
    '  "publisher": {"@type": "Organization", "name": "The Quay"}}',
    "escapes and markup": '{"@context":"https://schema.org","@type":"Article",'
    '"headline":"Caf\\u00e9 \\"open\\" <b>again</b>\\nsoon","url":"https:\\/\\/q.example\\/a",'
    '"author":[{"@type":"Person","name":"Ana \\ud83d\\ude00 Lis"}]}',
    "graph": '{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Quay News"},'
    '{"@type":"ReportageNewsArticle","headline":"Tide tables","author":"Max Pole"}]}',
    "broken json": '{"@context":"https://schema.org","@type":"Article",'
    ' "author": {"name": "Ed Oak"}, "headline": "Half a story"',
}


@pytest.mark.parametrize("script", _JSON_LD.values(), ids=_JSON_LD.keys())
def test_json_ld_reads_as_trafilatura_reads_it(script):
    from trafilatura.metadata import extract_meta_json
    from trafilatura.settings import Document

    from dateline.clipping._metadata import read_json_ld
    from dateline.clipping.extract import _load_html

    page = (
        '<html><head><script type="application/ld+json">'
        f"{script}</script></head><body><p>x</p></body></html>"
    )
    tree = _load_html(page)
    ours, theirs = read_json_ld(tree, Document()), extract_meta_json(tree, Document())
    fields = ("title", "author", "sitename", "categories", "pagetype")
    assert [getattr(ours, f) for f in fields] == [getattr(theirs, f) for f in fields]
    assert ours.title or ours.author


def test_figures_inside_the_story_come_back_and_sidebar_ones_do_not():
    ferry = extract_article(
        (FIXTURES / "rope-ferry.html").read_bytes(), "https://river.example/ferry"
    )
    assert ferry.body_html.count("<figure>") == 1  # the lead figure is shown apart
    assert (
        "<p>The volunteers say the ferry will run every Saturday and Sunday from Easter"
    ) in ferry.body_html.split("<figure>")[0]
    assert "<figcaption>The first passengers cross on Saturday afternoon.</figcaption>" in (
        ferry.body_html
    )
    assert "cheese" not in ferry.body_html.lower()


def test_the_plain_text_keeps_the_words_after_an_empty_inline_element():
    # trafilatura's XML for `Sets a <code><i>zone</i></code> for …` holds an empty code
    # element (the emphasis moved out of it), whose tail its text renderer drops.
    body = etree.fromstring(
        '<body><p>Sets a <code/> for the named zone.</p><p>Then <hi rend="#i"/> restart '
        "the server.</p></body>"
    )
    text = " ".join(plain_text(body).split())
    assert "Sets a for the named zone." in text
    assert "Then restart the server." in text
    assert len(body[0]) == 1  # the body itself keeps its formatting for the HTML
