"""The mirror's search page in a real browser: search.js reads the index's head, gathers
every shard it names (siteexport.searchindex) and lists the matching posts, through nginx;
with its results shown, axe-core finds nothing to fix at a desktop's and a phone's width."""

import json

import pytest
from playwright.sync_api import expect

from dateline.siteexport import searchindex
from tests.e2e.conftest import AXE, PHONE, SCREENSHOTS, require
from tests.e2e.test_accessibility import RUN_AXE
from tests.siteexport.test_mirror_comment_script import browser, page  # noqa: F401 - fixtures
from tests.siteexport.test_nginx import nginx  # noqa: F401 - a fixture, used by name

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def small_shards(monkeypatch):
    monkeypatch.setattr(searchindex, "SHARD_IDS", 2)  # before the nginx fixture builds


@pytest.mark.django_db(transaction=True)
def test_the_mirrors_search_finds_posts_in_every_shard(small_shards, nginx, blog, page):  # noqa: F811
    port, mirror = nginx
    assert len(list((mirror / "search-index").glob("*.json"))) > 1
    response = page.goto(f"http://127.0.0.1:{port}/search.html?q=harbour")
    assert response.headers.get("x-dateline-origin") != "live"
    # A locator's wait runs in Playwright's own world: a string predicate would be eval'd in
    # the page, which the mirror's CSP (script-src 'self') refuses once it has to poll.
    expect(page.locator("#mirror-search-status")).to_contain_text("found")
    # Title (3 points) before labels (2) before the text (1); equal scores newest first.
    expected = [blog["storm"], blog["ferry"], blog["lighthouse"], blog["café"]]
    assert page.text_content("#mirror-search-status") == "4 posts found for \u201charbour\u201d."
    links = page.locator("#mirror-search-results h2 a")
    assert links.evaluate_all("links => links.map(a => a.getAttribute('href'))") == [
        post.path for post in expected
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_mirrors_search_page_with_results_has_no_axe_violations(nginx, blog, browser, width):  # noqa: F811
    require(AXE, "axe-core (npm ci)")
    port, _ = nginx
    # axe is injected inline, which the mirror's CSP refuses: bypassed in the harness only.
    tab = browser.new_page(bypass_csp=True, viewport=PHONE if width == "phone" else DESKTOP)
    tab.goto(f"http://127.0.0.1:{port}/search.html?q=harbour")
    expect(tab.locator("#mirror-search-status")).to_contain_text("found")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=SCREENSHOTS / f"mirror-search-{width}.png", full_page=True)
    assert tab.evaluate("document.documentElement.scrollWidth <= innerWidth"), width
    tab.add_script_tag(path=str(AXE))
    violations = tab.evaluate(RUN_AXE)
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)
