"""The desk's editor in Chromium: write a post with an inline image and a schedule; clip a
story into the editor and publish it with a suggested label, counting the author's actions.

Every desk page the journeys pass is checked with axe-core (0 violations) and saved as a
screenshot at 1280 and 390 px in test-results/screenshots/.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from dateline.posts.models import Label, Post
from tests.clipping.clipsite import (  # noqa: F401 - fixtures
    FERRY_TITLE,
    clip_storage_fixture,
    news_site_fixture,
)
from tests.clipping.conftest import _server, server  # noqa: F401 - fixtures
from tests.conftest import png_bytes
from tests.e2e.conftest import AXE, DESKTOP, PHONE, SCREENSHOTS, Watch, require
from tests.e2e.test_accessibility import RUN_AXE
from tests.e2e.test_comment_journeys import AUTHOR, PASSWORD, log_in_to_admin

pytestmark = pytest.mark.django_db(transaction=True)

STORY = "/stories/rope-ferry"


class Actions:
    """Counts what the author does besides typing the text itself: clicks and key presses."""

    def __init__(self) -> None:
        self.done: list[str] = []

    def click(self, locator, what: str) -> None:
        locator.click()
        self.done.append(f"click {what}")

    def press(self, locator, keys: str) -> None:
        locator.press(keys)
        self.done.append(f"press {keys}")

    def bookmark(self, story, code: str) -> None:
        story.evaluate(code)  # what clicking the bookmark runs
        self.done.append("click the bookmarklet")


def check_desk_pages(new_page, paths: dict[str, str]) -> None:
    """axe at both widths (0 violations), screenshots, nothing wider than the screen."""
    require(AXE, "axe-core (npm ci)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    found = {}
    for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = new_page(viewport=viewport, phone=width == "phone", bypass_csp=True)
        log_in_to_admin(page)
        for name, path in paths.items():
            assert page.goto(path).status == 200, path
            page.wait_for_load_state("networkidle")
            page.screenshot(path=SCREENSHOTS / f"desk-{name}-{width}.png", full_page=True)
            wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            assert not wide, (name, width)
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(RUN_AXE)
            if violations:
                found[f"{name} {width}"] = violations
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)


def test_write_a_post_with_an_inline_image_and_a_schedule(new_page, settings, tmp_path):
    settings.TIME_ZONE = "Europe/Amsterdam"
    settings.MEDIA_ROOT = tmp_path / "media"
    get_user_model().objects.create_superuser(AUTHOR, "editor@example.org", PASSWORD)
    Label.objects.create(name="Netherlands")
    author = new_page()
    log_in_to_admin(author)
    author.goto("/desk/")
    author.get_by_role("navigation", name="Desk").get_by_role("link", name="Write").click()
    expect(author).to_have_url(author.url.split("/desk/")[0] + "/desk/posts/new/")

    author.get_by_label("Title").fill("Night trams return to Rotterdam")
    body = author.get_by_label("Body (Markdown)")
    body.fill("From Friday the trams in Rotterdam run all night.\n\n")
    frame = author.frame_locator("#preview-frame")
    expect(frame.locator(".post-title")).to_have_text("Night trams return to Rotterdam")
    body.press("Control+s")  # the shortcut saves the draft
    expect(author.get_by_role("status").filter(has_text="Draft saved.")).to_be_visible()
    post = Post.objects.get()
    assert post.state == "draft" and author.url.endswith(f"/desk/posts/{post.pk}/")

    author.get_by_label("Body (Markdown)").press("Control+End")
    author.get_by_role("toolbar", name="Formatting").get_by_role("button", name="Image").click()
    dialog = author.get_by_role("dialog", name="Insert an image")
    image = tmp_path / "depot.png"
    image.write_bytes(png_bytes((30, 110, 160)))
    dialog.get_by_label("Image file").set_input_files(str(image))
    dialog.get_by_label("Alternative text (what the image shows)").fill("A tram in the depot")
    dialog.get_by_label("Caption").fill("The night tram waits at Kleiweg depot.")
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(dialog).to_be_hidden()
    expect(body).to_have_value(
        re.compile(r'<figure><img src="/media/images/[^"]+" alt="A tram in the depot">')
    )
    figure = frame.locator(".post-body figure")
    expect(figure.locator("figcaption")).to_have_text("The night tram waits at Kleiweg depot.")
    expect(figure.locator("img")).to_have_attribute("alt", "A tram in the depot")

    suggestion = author.get_by_role("checkbox", name="Netherlands")
    suggestion.check()  # the gazetteer knows Rotterdam is in the Netherlands
    author.get_by_label("Add a label").fill("Night life")
    author.get_by_label("Add a label").press("Enter")
    expect(author.get_by_role("checkbox", name="Night life")).to_be_checked()

    when = timezone.localtime() + timedelta(days=2)
    author.get_by_label("Date", exact=True).fill(when.date().isoformat())
    author.get_by_label("Time", exact=True).fill("09:15")
    expect(author.locator("#zone-hint")).to_contain_text("Europe/Amsterdam")
    author.get_by_role("button", name="Schedule").click()
    expect(author.get_by_role("status").filter(has_text="Scheduled: goes out")).to_be_visible()

    post.refresh_from_db()
    assert post.state == "scheduled"
    assert timezone.localtime(post.published_at).strftime("%H:%M") == "09:15"
    assert sorted(label.name for label in post.labels.all()) == ["Netherlands", "Night life"]
    assert "<figcaption>The night tram waits at Kleiweg depot.</figcaption>" in post.body_html

    author.get_by_role("link", name="Home").click()
    scheduled = author.locator("section", has=author.get_by_role("heading", name="Scheduled"))
    expect(scheduled.get_by_role("link", name="Night trams return to Rotterdam")).to_be_visible()
    zone = timezone.localtime(post.published_at).strftime("%Z")
    day = timezone.localtime(post.published_at)
    expect(scheduled).to_contain_text(f"goes out {day.day} {day:%b %Y}, 09:15 {zone}")
    assert author.watch.problems() == []

    check_desk_pages(
        new_page,
        {
            "home": "/desk/",
            "editor": f"/desk/posts/{post.pk}/",
            "new": "/desk/posts/new/",
            "posts": "/desk/posts/",
            "revisions": f"/desk/posts/{post.pk}/revisions/",
            "revisions-diff": f"/desk/posts/{post.pk}/revisions/?a={post.revisions.last().pk}",
            "clip": "/clip/",
            "image-upload": "/desk/images/",
        },
    )


def test_clip_a_story_into_the_editor_and_publish_it_with_a_suggested_label(
    new_page, news_site, clip_storage
):
    get_user_model().objects.create_superuser(AUTHOR, "editor@example.org", PASSWORD)
    Label.objects.create(name="Ferries", aliases="ferry\nferryman")
    author = new_page()
    log_in_to_admin(author)
    author.goto("/clip/")
    link = author.get_by_role("link", name="Clip to Dateline", exact=True)
    code = unquote((link.get_attribute("href") or "").removeprefix("javascript:"))
    story = author.context.new_page()
    story.goto(news_site.url(STORY))

    # From here on the author has the story's URL in hand: count what they do.
    actions = Actions()
    with author.context.expect_page() as opened:
        actions.bookmark(story, code)
    tab = opened.value
    tab.watch = Watch()
    tab.watch.attach(tab)
    actions.click(tab.get_by_role("button", name="Clip"), "Clip")
    expect(tab.get_by_label("Title")).to_have_value(FERRY_TITLE)  # progress → the editor
    body = tab.get_by_label("Body (Markdown)")
    expect(body).to_have_value(re.compile(r"## Two winters in the boat shed"))
    expect(body).not_to_have_value(re.compile(r"<p>|<h2>"))
    source = tab.locator(".source-panel")
    expect(source).to_contain_text("The Upper Dale Gazette")
    actions.click(tab.get_by_role("checkbox", name="Ferries"), "the suggested label Ferries")
    actions.click(tab.get_by_role("button", name="Publish now"), "Publish now")
    expect(tab.get_by_role("status").filter(has_text="Published")).to_be_visible()

    post = Post.objects.get()
    assert post.state == "published"
    print(
        f"\nauthor actions from the story's URL to published with labels and Source: "
        f"{len(actions.done)} ({'; '.join(actions.done)})"
    )
    assert len(actions.done) <= 4

    reader = new_page()
    reader.goto(post.path)
    expect(reader.locator("h1.post-title")).to_have_text(FERRY_TITLE)
    expect(reader.locator(".post-source")).to_contain_text("Source: The Upper Dale Gazette")
    expect(reader.locator(".post-labels").get_by_role("link", name="Ferries")).to_be_visible()
    expect(reader.locator(".post-body blockquote")).to_contain_text("We did not want a museum")
    expect(reader.locator(".post-body li")).to_have_count(3)
    assert reader.watch.problems() == [] and tab.watch.problems() == []
