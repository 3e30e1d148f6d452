"""The author clips a story with the bookmarklet, accepts the suggested labels in the desk's
editor, publishes.

The story is served by the clipping tests' own HTTP server on 127.0.0.1 (a different
origin from the blog's live server). The bookmarklet is the exact `javascript:` code the
/clip/ page offers, evaluated on the story page as a click on the bookmark would run it.
"""

import re
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from dateline.posts.models import Label, Post
from tests.clipping.clipsite import (  # noqa: F401 - fixtures
    FERRY_TITLE,
    clip_storage_fixture,
    news_site_fixture,
)
from tests.clipping.conftest import _server, server  # noqa: F401 - fixtures
from tests.e2e.conftest import Watch
from tests.e2e.test_comment_journeys import AUTHOR, PASSWORD, log_in_to_admin

pytestmark = pytest.mark.django_db(transaction=True)

PLAIN, WITH_HTML = "Clip to Dateline", "Clip to Dateline (with page HTML)"
STORY = "/stories/rope-ferry"
SELECTION = "For the first time in thirty years"


def bookmarklet_code(page, name: str) -> str:
    """The script of the bookmarklet the clip page offers, as the browser would run it."""
    page.goto("/clip/")
    href = page.get_by_role("link", name=name, exact=True).get_attribute("href")
    assert href is not None and href.startswith("javascript:")
    return unquote(href.removeprefix("javascript:"))


def select_opening_words(story) -> None:
    story.evaluate(
        """(words) => {
            const p = [...document.querySelectorAll('article p')].find(
                (e) => e.textContent.startsWith(words));
            const range = document.createRange();
            range.setStart(p.firstChild, 0);
            range.setEnd(p.firstChild, words.length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }""",
        SELECTION,
    )


def clip_with_bookmarklet(author, news_site, name: str):
    """Open the story, click the bookmark, and return the /clip/ tab it opened."""
    code = bookmarklet_code(author, name)
    story = author.context.new_page()
    story.goto(news_site.url(STORY))
    select_opening_words(story)
    with author.context.expect_page() as opened:
        story.evaluate(code)
    tab = opened.value
    tab.watch = Watch()
    tab.watch.attach(tab)
    tab.wait_for_load_state()
    assert tab.url.startswith(author.url.split("/clip/")[0] + "/clip/?")
    expect(tab.get_by_label("Address of the story")).to_have_value(news_site.url(STORY))
    expect(tab.get_by_label("Selected text (optional, becomes the excerpt)")).to_have_value(
        SELECTION
    )
    return tab


def story_fetches_by_the_server(news_site) -> int:
    return sum(
        1
        for path, headers in news_site.requests
        if path == STORY and headers.get("User-Agent", "").startswith("Dateline/")
    )


def accept_suggested_labels(tab) -> list[str]:
    """The blog's own label the story mentions is suggested first; the author ticks each."""
    suggestions = tab.locator("#label-suggestions input[name=labels]")
    expect(suggestions.first).to_have_attribute("value", "Ferries")
    accepted = [suggestions.nth(i).get_attribute("value") or "" for i in range(suggestions.count())]
    for name in accepted:
        tab.get_by_role("checkbox", name=name, exact=True).check()
    return accepted


def expect_seed_anatomy(reader, post: Post, labels: list[str]) -> None:
    """Title, lead figure and caption, structured body, Source with snapshot, Labels."""
    expect(reader.locator("h1.post-title")).to_have_text(FERRY_TITLE)
    expect(reader.locator(".lead-figure figcaption")).to_contain_text("restored ferry waits")
    body = reader.locator(".post-body")
    expect(body.get_by_role("heading", name="Two winters in the boat shed")).to_be_visible()
    expect(body.locator("blockquote")).to_contain_text("We did not want a museum")
    expect(body.locator("li")).to_have_count(3)
    source = reader.locator(".post-source")
    expect(source).to_contain_text("Source: The Upper Dale Gazette")
    expect(source.get_by_role("link", name="archived copy")).to_have_attribute(
        "href", f"/sources/{post.source_id}/"
    )
    line = reader.locator(".post-labels")
    expect(line).to_contain_text("Labels: ")
    assert sorted(line.get_by_role("link").all_inner_texts()) == sorted(labels)
    expect(line.get_by_role("link", name="Ferries")).to_have_attribute(
        "href", "/search/label/Ferries"
    )


@pytest.mark.parametrize("bookmarklet", [PLAIN, WITH_HTML])
def test_the_author_clips_a_story_with_the_bookmarklet_and_publishes_it(
    new_page, news_site, clip_storage, bookmarklet
):
    get_user_model().objects.create_superuser(AUTHOR, "editor@example.org", PASSWORD)
    Label.objects.create(name="Ferries", aliases="ferry\nferryman")
    author = new_page()
    log_in_to_admin(author)

    tab = clip_with_bookmarklet(author, news_site, bookmarklet)
    if bookmarklet == WITH_HTML:
        expect(tab.locator("#html-status")).to_contain_text("The page's HTML arrived")
        expect(tab.get_by_label("The page's HTML (optional)")).to_have_value(
            re.compile("rope ferry back into service")
        )
    tab.get_by_role("button", name="Clip").click()

    expect(tab.get_by_label("Title")).to_have_value(FERRY_TITLE)  # the desk's editor
    accepted = accept_suggested_labels(tab)
    # With the page's HTML the server never fetches the story itself (only its images).
    assert story_fetches_by_the_server(news_site) == (0 if bookmarklet == WITH_HTML else 1)
    tab.get_by_role("button", name="Publish now").click()
    expect(tab.get_by_role("status").filter(has_text="Published")).to_be_visible()

    post = Post.objects.get()
    assert post.status == Post.Status.PUBLISHED and tab.url.endswith(f"/desk/posts/{post.pk}/")
    reader = new_page()
    reader.goto(post.path)
    expect_seed_anatomy(reader, post, accepted)
    assert reader.watch.problems() == [] and tab.watch.problems() == []
