"""extract_article on pages of our own making: structure kept, junk and hostile HTML gone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import html5lib
import pytest

from dateline.clipping.errors import ExtractionError
from dateline.clipping.extract import ExtractedArticle, extract_article
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
