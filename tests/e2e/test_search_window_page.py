"""A search with more matches than it reads (search.backends.base.MATCH_WINDOW) says so; that
page, with its notice and its facets headed "newest N matches", is held to the same checks
as every reader page: axe-core at desktop and phone width, no sideways scroll, the Nu
checker, a screenshot of each width in test-results/."""

import json

import pytest
from django.test import Client
from playwright.sync_api import expect

from dateline.search.backends import base
from tests.e2e.conftest import AXE, PHONE, SCREENSHOTS, require
from tests.e2e.nu import nu_errors
from tests.e2e.test_accessibility import RUN_AXE

pytestmark = pytest.mark.django_db(transaction=True)

PAST_THE_WINDOW = "/search?q=the&max-results=2"


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_a_search_past_its_match_window_is_accessible_at_both_widths(
    blog, new_page, monkeypatch, width
):
    require(AXE, "axe-core (npm ci)")
    monkeypatch.setattr(base, "MATCH_WINDOW", 3)  # the live server runs in this process
    options = {"viewport": PHONE, "phone": True} if width == "phone" else {}
    page = new_page(bypass_csp=True, **options)
    page.goto(PAST_THE_WINDOW)
    expect(page.get_by_text("More than 3 posts found")).to_be_visible()
    expect(page.get_by_text("By label (newest 3 matches)")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"search-past-window-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE)
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)


def test_a_search_past_its_match_window_has_no_nu_errors(blog, monkeypatch):
    monkeypatch.setattr(base, "MATCH_WINDOW", 3)
    response = Client().get(PAST_THE_WINDOW)
    assert b"More than 3 posts found" in response.content
    errors = nu_errors({PAST_THE_WINDOW: response.content})
    assert not errors, "\n".join(errors)
