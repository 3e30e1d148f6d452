"""The fallback chain of `_body.read_main` and the main region it can fall back to."""

from __future__ import annotations

import json

from dateline.clipping._body import Shares, declared_type, read_main
from dateline.clipping._parse import load_html
from dateline.clipping._region import main_region, region_root
from dateline.clipping.extract import extract_article

SENTENCES = [
    "The harbour commission met on Tuesday evening to settle the future of the old pier.",
    "After three hours of debate the members agreed to repair the timber deck this spring.",
    "Fishermen who moor along the pier said the structure shelters the inner basin well.",
    "The walkway will open again to the public before the summer season begins in June.",
]
NAV = '<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>'
FOOTER = "<footer><p>Copyright the Harbour Gazette, all rights reserved.</p></footer>"


def _page(body: str, head: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Harbour Gazette</title>{head}</head><body>{body}</body></html>"
    )


def _article(paragraphs: int) -> str:
    return "".join(
        f"<p>{SENTENCES[n % 4]} {SENTENCES[(n + 1) % 4]} Paragraph {n}.</p>"
        for n in range(paragraphs)
    )


def _json_ld(kind: str) -> str:
    value = json.dumps({"@context": "https://schema.org", "@type": kind})
    return f'<script type="application/ld+json">{value}</script>'


def _read(page: str, url: str = "https://gazette.example/news/pier"):
    tree = load_html(page)
    assert tree is not None
    return read_main(tree, url)


def test_a_long_article_is_read_by_the_precise_pass_alone():
    body = f"{NAV}<main><article>{_article(20)}</article></main>{FOOTER}"
    reading = _read(_page(body, head=_json_ld("NewsArticle")))
    assert reading.passes == ("precise",)  # even the region's every word could not beat it
    assert reading.chosen == "precise"


def test_a_short_article_runs_the_default_pass_too():
    body = f"{NAV}<main><article>{_article(3)}</article></main>{FOOTER}"
    reading = _read(_page(body, head=_json_ld("NewsArticle")))
    assert reading.passes[:2] == ("precise", "default")
    assert reading.chosen in {"precise", "default"}  # the longer of the two
    text = " ".join(reading.body.itertext())
    assert "Paragraph 2." in text


def _listing() -> str:
    cards = "".join(
        f'<div class="card"><a href="/boats/{n}"><h3>Boat {n} for hire</h3>'
        f"<span>Sleeps {n % 6 + 2}, from {n * 10 + 90} a day</span></a></div>"
        for n in range(30)
    )
    intro = f"<p>{SENTENCES[0]} {SENTENCES[1]}</p>"
    return _page(f"{NAV}<main><h1>Boats for hire</h1>{intro}{cards}</main>{FOOTER}")


def test_a_listing_of_short_cards_falls_back_to_the_whole_main_region():
    reading = _read(_listing(), "https://boats.example/hire")
    assert reading.chosen == "region"
    text = " ".join(reading.body.itertext())
    assert "Boat 0 for hire" in text and "Boat 29 for hire" in text
    assert "Copyright" not in text and "Home" not in text


def test_a_clipped_listing_keeps_every_card():
    article = extract_article(_listing(), "https://boats.example/hire")
    for n in (0, 15, 29):
        assert f"Boat {n} for hire" in article.body_text


def test_a_declared_article_keeps_trafilaturas_reading_over_the_region():
    related = "".join(f'<li><a href="/r/{n}">Related story number {n}</a></li>' for n in range(80))
    body = f"<main><article>{_article(3)}</article><ul>{related}</ul></main>"
    page = _page(body, head=_json_ld("NewsArticle"))
    reading = _read(page)
    assert "region" not in reading.passes
    assert "Related story" not in " ".join(reading.body.itertext())
    # The same page, declaring nothing, is mostly its list: the region wins there.
    assert _read(_page(body)).chosen == "region"


def roundup() -> str:
    """A declared article: a short introduction, then its picks as a list of links, which
    trafilatura prunes as link-heavy: it keeps under 40 % of the region's words."""
    picks = "".join(
        f'<li><a href="/shop/{n}">Lantern {n}: brass, {n + 20} cm tall, burns {n + 6} hours'
        " on a fill</a></li>"
        for n in range(24)
    )
    intro = f"<p>{SENTENCES[2]} {SENTENCES[3]}</p>"
    body = f"{NAV}<main><article><h1>The best lanterns</h1>{intro}</article><ol>{picks}</ol></main>"
    return _page(body + FOOTER, head=_json_ld("Article"))


def test_the_shares_decide_when_a_declared_article_gives_way_to_the_region():
    reading = _read(roundup())
    assert "region" not in reading.passes  # the code's shares: never on an article
    assert "Lantern 0: brass" not in " ".join(reading.body.itertext())
    tree = load_html(roundup())
    assert tree is not None
    shared = read_main(tree, "https://gazette.example/guides/lanterns", Shares(article=0.4))
    assert shared.chosen == "region"
    text = " ".join(shared.body.itertext())
    assert "Lantern 0: brass" in text and "Lantern 23: brass" in text
    assert "Copyright" not in text


def test_the_page_declares_its_type_in_json_ld_or_open_graph():
    def kind(head: str) -> str | None:
        tree = load_html(_page("<p>x</p>", head=head))
        assert tree is not None
        return declared_type(tree)

    assert kind(_json_ld("BlogPosting")) == "article"
    assert kind(_json_ld("Product")) == "product"
    assert kind('<meta property="og:type" content="product">') == "product"
    assert kind('<meta property="og:type" content="website">') is None
    assert kind(_json_ld("WebPage")) is None


def test_the_region_leaves_out_hidden_parts_forms_and_page_furniture():
    tree = load_html(
        _page(
            f"{NAV}<main><h2>Opening hours</h2><p>Open daily from nine.</p>"
            '<div hidden><p>Hidden offer</p></div><p style="display: none">Invisible</p>'
            '<span class="sr-only">Screen reader note</span>'
            '<form><label>Email</label><input name="e"></form>'
            '<ol class="breadcrumbs"><li>Home</li><li>Hours</li></ol></main>'
        )
    )
    assert tree is not None
    root, marked = region_root(tree)
    assert marked
    assert [(block.tag, block.text) for block in main_region(root)] == [
        ("head", "Opening hours"),
        ("p", "Open daily from nine."),
    ]


def test_without_a_main_part_the_region_is_the_body():
    tree = load_html(_page("<div><p>Only text.</p></div>"))
    assert tree is not None
    root, marked = region_root(tree)
    assert not marked
    assert [block.text for block in main_region(root)] == ["Only text."]


def test_the_region_leaves_out_furniture_marked_by_its_aria_role_or_filter_panel():
    tree = load_html(
        _page(
            "<main>"
            '<div role="navigation"><a href="/a">Hire developers</a> <a href="/b">Pricing</a></div>'
            '<div class="filters"><h3>Brand</h3><ul><li>Acme (12)</li><li>Globex</li></ul></div>'
            '<div role="complementary"><p>Hot questions on other sites</p></div>'
            "<h2>Boats for hire</h2><p>Sleeps four, from ninety a day.</p>"
            '<div role="dialog"><p>Sign up for our newsletter today</p></div>'
            "</main>"
        )
    )
    assert tree is not None
    root, _ = region_root(tree)
    assert [block.text for block in main_region(root)] == [
        "Boats for hire",
        "Sleeps four, from ninety a day.",
    ]


def test_a_region_that_wins_keeps_one_copy_of_a_repeated_passage():
    # A page that lays its cards out twice, once for desktops and once for phones.
    cards = "".join(
        f'<div class="card"><a href="/boats/{n}"><h3>Boat {n} for hire</h3>'
        f"<p>Sleeps {n % 6 + 2} people, from {n * 10 + 90} pounds a day, moored at the quay.</p>"
        '</a><a href="/book">Book now</a></div>'
        for n in range(20)
    )
    page = _page(
        f'{NAV}<main><h1>Boats for hire</h1><div class="desktop">{cards}</div>'
        f'<div class="mobile">{cards}</div></main>{FOOTER}'
    )
    reading = _read(page, "https://boats.example/hire")
    assert reading.chosen == "region"
    texts = [block.text for block in reading.body]
    assert texts.count("Boat 7 for hire") == 1  # short labels stay as they were
    assert texts.count("Sleeps 3 people, from 100 pounds a day, moored at the quay.") == 1
    assert texts.count("Book now") == 2 * 20  # a short label is not judged a copy


def _service_page(head: str = "") -> str:
    # A service page's offer in a bordered box: trafilatura's precision mode prunes any
    # block styled with a border, its default mode keeps it.
    boxed = (
        '<div style="border: 1px solid #ccc"><h2>What the survey covers</h2>'
        "<p>Our surveyors inspect the hull, the rigging and the engine of every boat, and "
        "write a report you can hand to your insurer within a week of the visit.</p></div>"
    )
    return _page(f"{NAV}<main><h1>Boat surveys</h1>{_article(2)}{boxed}</main>{FOOTER}", head)


def test_a_page_that_declares_no_article_is_read_by_the_default_pass_alone():
    reading = _read(_service_page(), "https://surveys.example/services/boats")
    assert reading.passes[0] == "default" and "precise" not in reading.passes
    text = " ".join(reading.body.itertext())
    assert "write a report you can hand to your insurer" in text
    # The same page declaring an article is read by the precise pass first.
    declared = _read(_service_page(_json_ld("Article")), "https://surveys.example/services/boats")
    assert declared.passes[0] == "precise"


def test_a_marked_main_part_wins_when_trafilatura_keeps_two_thirds_of_it():
    # A service page's <main>: its prose, then a list of links trafilatura prunes as
    # link-heavy (it keeps 127 of the region's 191 words here): a third of the page lost.
    plans = "".join(
        f'<li><a href="/plans/{n}">Plan {n}: sleeps {n + 2}, moored at berth {n * 3}</a></li>'
        for n in range(8)
    )
    page = _page(f"{NAV}<main><h1>Berths</h1>{_article(4)}<ul>{plans}</ul></main>{FOOTER}")
    reading = _read(page, "https://berths.example/plans")
    assert reading.chosen == "region"
    assert "Plan 7: sleeps 9, moored at berth 21" in " ".join(reading.body.itertext())
