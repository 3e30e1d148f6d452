"""The mirror's comment form in a real browser: comment-form.js learns the per-reader
fields' names from its script tag (core.readerfields.FIELD_NAMES, the one list of them),
fetches their values from the live page through nginx, and the comment arrives."""

import os

import pytest
from playwright.sync_api import expect

from dateline.comments.models import Comment
from dateline.core.readerfields import FIELD_NAMES
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.siteexport.test_nginx import nginx  # noqa: F401 - a fixture, used by name


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # playwright's loop; our ORM calls
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                 args=CHROMIUM_ARGS, headless=True)  # fmt: skip
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser):
    return browser.new_page()


@pytest.mark.django_db(transaction=True)
def test_the_mirrors_comment_form_fills_the_reader_fields_and_posts(nginx, blog, page):  # noqa: F811
    port, _mirror = nginx
    post = blog["night"]
    response = page.goto(f"http://127.0.0.1:{port}{post.path}")
    assert response.headers.get("x-dateline-origin") != "live"  # the mirror's file
    script = page.locator("script[data-reader-fields]")
    assert script.get_attribute("data-reader-fields").split() == list(FIELD_NAMES.values())
    for name in FIELD_NAMES.values():
        assert page.input_value(f'form input[name="{name}"]') == ""
    page.fill('input[name="author_name"]', "Sigrid")
    page.fill('textarea[name="body"]', "The sleeper was full on Friday.")
    for name in FIELD_NAMES.values():  # focusing the form fetched the live page's values
        expect(page.locator(f"input[name='{name}']")).not_to_have_value("")
    with page.expect_navigation():
        page.click('form[action^="/comments/post/"] [type="submit"]')
    assert Comment.objects.filter(post=post, author_name="Sigrid").exists()
