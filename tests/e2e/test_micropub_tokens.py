"""The desk's "Apps and tokens" page in Chromium: axe finds nothing at desktop and phone
widths (with the form's errors shown too), and an author makes a token under the real
CSP, posts with it through Micropub, and revokes it."""

import pytest
import requests
from playwright.sync_api import expect

from dateline.micropub.models import Token
from tests.e2e.conftest import AXE, SCREENSHOTS, require
from tests.e2e.test_accessibility import RUN_AXE
from tests.e2e.test_desk_people import WIDTHS, _signed_in, people  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_axe_finds_nothing_on_the_tokens_page(new_page, live_server, people, width):  # noqa: F811
    require(AXE, "axe-core (npm ci)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = _signed_in(new_page, live_server, "hkim", viewport=WIDTHS[width],
                      phone=width == "phone", bypass_csp=True)  # fmt: skip
    page.goto("/desk/tokens/")
    page.get_by_label("App or script").fill("Quill")
    page.get_by_label("create: publish new posts").check()
    page.get_by_role("button", name="Make token").click()
    expect(page.get_by_role("heading", name="Your new token")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / f"desk-tokens-{width}.png", full_page=True)
    page.get_by_role("button", name="Make token").click()  # no name, no scope: errors
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(RUN_AXE) == []
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= WIDTHS[width]["width"]


def test_an_author_makes_a_token_posts_with_it_and_revokes_it(new_page, live_server, people):  # noqa: F811
    page = _signed_in(new_page, live_server, "hkim")
    page.goto("/desk/")
    page.get_by_role("link", name="Apps and tokens").click()
    page.get_by_label("App or script").fill("Script")
    page.get_by_label("create: publish new posts").check()
    page.get_by_role("button", name="Make token").click()
    raw = page.locator("code.token-value").inner_text()
    page.reload()  # repeats a GET (the form's POST was redirected): no second token
    expect(page.get_by_role("heading", name="Your new token")).to_have_count(0)
    assert Token.objects.count() == 1
    headers = {"Authorization": f"Bearer {raw}"}
    made = requests.post(f"{live_server.url}/micropub", data={"h": "entry", "content": "Hi"},
                         headers=headers, timeout=30, allow_redirects=False)  # fmt: skip
    assert made.status_code == 201
    page.goto("/desk/tokens/")  # the token was shown once; the page now lists it
    page.get_by_role("button", name="Revoke the token for Script").click()
    expect(page.locator("tbody tr", has_text="Script")).to_contain_text("revoked")
    assert Token.objects.get().revoked_at is not None
    again = requests.post(f"{live_server.url}/micropub", data={"h": "entry", "content": "No"},
                          headers=headers, timeout=30)  # fmt: skip
    assert again.status_code == 401
    assert page.watch.problems() == []
