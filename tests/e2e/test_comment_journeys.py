"""A reader comments, the author moderates in the admin, the reader sees it appear."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from dateline.comments.models import Comment

pytestmark = pytest.mark.django_db(transaction=True)

AUTHOR, PASSWORD = "editor", "a long passphrase for the e2e author"
PENDING_NOTICE = "your comment is awaiting moderation"


def fill_comment(page, name: str, text: str, email: str = "", url: str = "") -> None:
    page.get_by_label("Name").fill(name)
    page.get_by_label("E-mail (optional, never shown)").fill(email)
    page.get_by_label("Web site (optional)").fill(url)
    page.get_by_label("Comment", exact=True).fill(text)


def log_in_to_admin(page) -> None:
    page.goto("/admin/")
    assert "/admin/login/" in page.url
    page.get_by_label("Username").fill(AUTHOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#logout-form")).to_be_attached()


def test_a_comment_waits_for_moderation_then_appears_once_the_author_approves_it(
    new_page, blog, settings
):
    get_user_model().objects.create_superuser(AUTHOR, "editor@example.org", PASSWORD)
    post = blog["tartu-bridges"]
    reader = new_page()
    reader.goto(post.path)
    expect(reader.locator("#comments-heading")).to_have_text("0 Comments:")

    # Too fast for a person: refused with a clear message, and the typed text is kept.
    settings.DATELINE_COMMENT_MIN_SECONDS = 3600
    text = "Our street got these lamps last winter and they never once went dark."
    fill_comment(reader, "Kadri", text, email="kadri@example.org", url="https://kadri.example")
    reader.get_by_role("button", name="Publish your comment").click()
    expect(reader.get_by_role("alert")).to_contain_text("faster than a person can type")
    expect(reader.get_by_label("Comment", exact=True)).to_have_value(text)
    expect(reader.get_by_label("Name")).to_have_value("Kadri")
    assert Comment.objects.count() == 0

    # A person who waits past the minimum time gets through to the moderation queue.
    settings.DATELINE_COMMENT_MIN_SECONDS = 1
    reader.wait_for_timeout(1_100)  # the re-shown form's clock restarted when it was shown
    reader.get_by_role("button", name="Publish your comment").click()
    expect(reader.get_by_role("status")).to_contain_text(PENDING_NOTICE)
    expect(reader.locator("#comments-heading")).to_have_text("0 Comments:")
    expect(reader.locator(".comment-list")).to_have_count(0)
    comment = Comment.objects.get()
    assert (comment.status, comment.author_name, comment.body) == ("pending", "Kadri", text)

    # The author logs in and approves it with the bulk action.
    author = new_page()
    log_in_to_admin(author)
    author.get_by_role("rowheader", name="Comments").get_by_role("link").click()
    row = author.locator("#result_list tbody tr", has_text="Kadri")
    expect(row).to_contain_text("Pending")
    row.get_by_role("checkbox").check()
    author.locator("select[name=action]").select_option(label="Approve selected comments")
    author.get_by_role("button", name="Run").or_(author.get_by_role("button", name="Go")).click()
    expect(author.locator(".messagelist")).to_contain_text("1 comment approved.")
    comment.refresh_from_db()
    assert comment.status == "approved"

    # The reader comes back: the count says "1 Comment:" (singular, deliberately).
    reader.goto(post.path)
    expect(reader.locator("#comments-heading")).to_have_text("1 Comment:")
    shown = reader.locator(f"#comment-{comment.pk}")
    expect(shown.locator(".comment-author a")).to_have_text("Kadri")
    expect(shown.locator(".comment-author a")).to_have_attribute("href", "https://kadri.example")
    expect(shown.locator(".comment-body")).to_have_text(text)
    expect(reader.locator("main")).not_to_contain_text("kadri@example.org")

    # A second approved comment makes it plural.
    Comment.objects.create(
        post=post, author_name="Mart", body="Same here.", created_at=timezone.now(),
        status=Comment.Status.APPROVED,
    )  # fmt: skip
    reader.reload()
    expect(reader.locator("#comments-heading")).to_have_text("2 Comments:")
    expect(reader.locator(".comment")).to_have_count(2)
    assert reader.watch.problems() == []
    assert author.watch.problems() == []


def test_the_honeypot_is_invisible_and_skipped_by_the_keyboard(page, blog):
    page.goto(blog["galway-fleet"].path)
    honeypot = page.locator("input[name=website]")
    expect(honeypot).to_have_count(1)
    # Off-screen (a sighted reader cannot see it) and hidden from assistive technology.
    box = honeypot.bounding_box()
    assert box is None or box["x"] + box["width"] <= 0, box
    assert honeypot.evaluate("el => el.closest('[aria-hidden=true]') !== null")
    expect(page.get_by_role("textbox", name="Leave this field empty")).to_have_count(0)

    # Tabbing through the form from the name field reaches the button without stopping in it.
    page.get_by_label("Name").focus()
    visited = []
    for _ in range(10):
        page.keyboard.press("Tab")
        visited.append(page.evaluate("document.activeElement.name || document.activeElement.id"))
        if page.evaluate("document.activeElement.type") == "submit":
            break
    assert visited == ["author_email", "author_url", "body", ""], visited
    assert page.evaluate("document.activeElement.textContent") == "Publish your comment"
