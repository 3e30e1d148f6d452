"""Pages other extractors misread: broken nesting, a main part in the header, fragments
kept by precision mode, forum threads and pages whose text is rendered by scripts."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from dateline.clipping._parse import lift_main_out_of_chrome, load_html
from dateline.clipping.errors import ExtractionError
from dateline.clipping.extract import extract_article

PARAGRAPHS = [
    "The harbour commission met on Tuesday evening to settle the future of the old pier, "
    "which has stood at the mouth of the estuary since eighteen ninety-two.",
    "After three hours of debate the members agreed to repair the timber deck and to open "
    "the walkway again to the public before the summer season begins in June.",
    "Fishermen who moor their boats along the pier welcomed the decision, saying the "
    "structure shelters the inner basin from the worst of the winter swell.",
]
ARTICLE = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)


def _page(body: str, head: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Pier to be repaired</title>{head}</head><body>{body}</body></html>"
    )


def _assert_whole_article(text: str) -> None:
    for paragraph in PARAGRAPHS:
        assert paragraph in text


def test_a_button_left_open_by_libxml2_does_not_swallow_the_main_part():
    # Browsers close the button at </button>; libxml2 keeps it open for the inner <div>,
    # and <main> ended up in header > button, thrown away with the header.
    page = _page(
        '<header class="site-header"><button class="menu"><div class="icon">Menu<div>'
        '</button><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>'
        f"<main><article><h1>Pier to be repaired</h1>{ARTICLE}</article></main>"
        "<footer><p>Copyright the Harbour Gazette</p></footer>"
    )
    article = extract_article(page, "https://gazette.example/news/pier")
    _assert_whole_article(article.body_text)
    assert "Menu" not in article.body_text


def test_a_main_part_inside_the_header_navigation_is_lifted_out_and_extracted():
    # Valid HTML5, kept so by a browser too: the nav (pruned as page chrome) holds <main>.
    sections = "".join(f'<li><a href="/s{n}">Section {n}</a></li>' for n in range(12))
    page = _page(
        f'<header class="site-header"><nav class="menu"><ul>{sections}</ul>'
        f"<main><h1>Pier to be repaired</h1>{ARTICLE}</main></nav></header>"
        "<footer>Harbour Gazette</footer>"
    )
    article = extract_article(page, "https://gazette.example/news/pier")
    _assert_whole_article(article.body_text)
    assert "Section" not in article.body_text


def test_lifting_the_main_part_keeps_the_text_that_followed_it_in_place():
    tree = load_html(_page("<header><nav><a>Home</a><main><p>Body</p></main>after</nav></header>"))
    assert tree is not None
    lift_main_out_of_chrome(tree)
    body = etree.tostring(tree.find("body"), encoding="unicode")
    assert "".join(body.split()) == (
        "<body><header><nav><a>Home</a>after</nav></header><main><p>Body</p></main></body>"
    )


def _thread_page(json_ld_type: str) -> str:
    json_ld = json.dumps({"@context": "https://schema.org", "@type": json_ld_type})
    replies = "".join(
        f'<li class="comment"><p class="comment-author">user{n}</p><p>{text}</p></li>'
        for n, text in enumerate(REPLIES)
    )
    return _page(
        f"<article><h1>Pier to be repaired</h1>{ARTICLE}</article>"
        f'<section id="comments"><ol class="comment-list">{replies}</ol></section>',
        head=f'<script type="application/ld+json">{json_ld}</script>',
    )


REPLIES = [
    "I walked the pier last week and the deck boards near the end are badly rotten already.",
    "Good news for the anglers, but who is paying for the repairs, the council or the port?",
]


def test_a_forum_thread_keeps_its_replies():
    thread = extract_article(_thread_page("DiscussionForumPosting"), "https://f.example/x/42")
    _assert_whole_article(thread.body_text)
    for reply in REPLIES:
        assert reply in thread.body_text


def test_a_news_article_leaves_its_reader_comments_out():
    news = extract_article(_thread_page("NewsArticle"), "https://gazette.example/news/pier")
    _assert_whole_article(news.body_text)
    for reply in REPLIES:
        assert reply not in news.body_text


def test_a_page_rendered_by_scripts_is_clipped_with_its_description():
    description = "The harbour commission agreed on Tuesday to repair the old pier's deck."
    page = _page(
        '<div id="app"></div><script src="/app.js"></script>',
        head=f'<meta name="description" content="{description}">',
    )
    article = extract_article(page, "https://gazette.example/news/pier")
    assert article.body_text == description


def test_a_page_with_neither_text_nor_a_description_still_has_no_article():
    page = _page('<div id="app"></div>', head='<meta name="description" content="Home">')
    with pytest.raises(ExtractionError):
        extract_article(page, "https://gazette.example/")
