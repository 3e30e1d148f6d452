"""bench/chooser.py: its choice on word counts is read_main's, and its guard holds."""

from __future__ import annotations

from bench import chooser as bench
from dateline.clipping._body import SHARES, Shares

from .test_extract_chain import _article, _json_ld, _listing, _page, roundup

ROUNDUP_TRUTH = "The best lanterns " + " ".join(
    f"Lantern {n}: brass, {n + 20} cm tall, burns {n + 6} hours on a fill" for n in range(24)
)


def _read(html: str, truth: str, url: str = "https://gazette.example/guides/lanterns"):
    page = bench.read_page("key", url, html.encode(), truth, "article")
    assert page is not None
    return page


def test_the_simulated_choice_is_read_mains():
    listing = _read(_listing(), "Boats for hire", "https://boats.example/hire")
    assert listing.chosen_region and bench.takes_region(listing, SHARES)
    article = _read(roundup(), ROUNDUP_TRUTH)
    assert not article.chosen_region and not bench.takes_region(article, SHARES)
    assert bench.takes_region(article, Shares(article=0.4))
    # The region holds the picks the truth names: it scores higher than trafilatura.
    assert article.region_score[2] > article.kept_score[2]


def test_the_guard_keeps_only_shares_that_do_not_lower_its_figure():
    # A news story with a long list of related links: its region scores lower.
    related = "".join(f'<li><a href="/r/{n}">Related story number {n}</a></li>' for n in range(80))
    html = _page(
        f"<main><article>{_article(3)}</article><ul>{related}</ul></main>", _json_ld("Article")
    )
    story = bench.read_page(
        "story", "https://gazette.example/news/pier", html.encode(), _article(3), "article",
        bench.shingle_score,
    )  # fmt: skip
    assert story is not None and story.region_score[2] < story.kept_score[2]
    allowed = bench.trials([story])
    assert SHARES in allowed
    assert all(not bench.takes_region(story, shares) for shares in allowed)
    assert len(allowed) < len(bench.trials([]))
