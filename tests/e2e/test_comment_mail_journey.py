"""A reader comments; the author gets a real e-mail (SMTP on 127.0.0.1) and approves from
its link in Chromium; the reader sees the comment. Then the inbox by keyboard, the pages
at phone and desktop widths with axe-core, and a reader's empty comment at phone width."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from dateline.comments.models import Comment
from tests.desk.smtp import links, mailbox_fixture, use_smtp  # noqa: F401
from tests.e2e.conftest import AXE, DESKTOP, PHONE, SCREENSHOTS, require
from tests.e2e.test_accessibility import RUN_AXE
from tests.e2e.test_comment_journeys import fill_comment

pytestmark = pytest.mark.django_db(transaction=True)

AUTHOR, PASSWORD = "editor", "a long passphrase for the e2e author"
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture
def author_account():
    return get_user_model().objects.create_user(AUTHOR, "editor@blog.example", PASSWORD,
                                                is_staff=True)  # fmt: skip


def log_in(page) -> None:
    page.goto("/desk/comments/")
    page.get_by_label("Username").fill(AUTHOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Comments", exact=True)).to_be_visible()


def axe_and_screenshot(page, name: str, width: str) -> list[dict]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
    fits = page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert fits, f"{name} is wider than the {width} screen"
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE)


def test_from_the_email_to_an_approved_comment(new_page, blog, author_account, mailbox, settings):
    use_smtp(settings, mailbox.url())
    post = blog["tartu-bridges"]
    reader = new_page()
    reader.goto(post.path)
    text = "The new lamps on the Arched Bridge make the evening walk a pleasure."
    fill_comment(reader, "Kadri", text, email="kadri@example.org")
    reader.get_by_role("button", name="Publish your comment").click()
    expect(reader.get_by_role("status")).to_contain_text("awaiting moderation")

    assert mailbox.arrived.wait(10), "no mail reached the SMTP server"
    (message,) = mailbox.messages
    assert message["To"] == "editor@blog.example"
    approve = links(message)["Approve"]

    # The author, not logged in, opens the link from the e-mail: action 1.
    actions = 0
    author = new_page(viewport=PHONE, phone=True)
    author.goto(approve)
    actions += 1
    comment = Comment.objects.get(author_name="Kadri")
    assert comment.status == Comment.Status.PENDING  # opening the link changed nothing
    button = author.get_by_role("button", name="Approve this comment")
    expect(button).to_be_focused()  # Enter would do, too
    expect(author.locator(".comment-text")).to_have_text(text)
    button.click()  # action 2
    actions += 1
    expect(author.get_by_role("heading", level=1)).to_have_text("Comment approved")
    print(f"\nauthor actions from e-mail received to comment approved: {actions}")
    assert actions == 2

    reader.goto(post.path)
    expect(reader.locator(f"#comment-{comment.pk} .comment-body")).to_have_text(text)
    author.goto(approve)  # the link is spent
    expect(author.get_by_role("heading", level=1)).to_have_text("Already approved")
    assert reader.watch.problems() == [] and author.watch.problems() == []


def held(post, name: str, body: str) -> Comment:
    return Comment.objects.create(post=post, author_name=name, body=body,
                                  created_at=timezone.now())  # fmt: skip


def test_the_inbox_by_keyboard_acts_without_a_reload(new_page, blog, author_account):
    post = blog["tartu-bridges"]
    for name in ("Anu", "Berit", "Carl"):
        held(post, name, f"{name} says the bridge is lovely.")
    page = new_page()
    log_in(page)
    expect(page.locator("#inbox-keys")).to_be_visible()
    page.evaluate("window.stayed = true")
    page.locator(".inbox-comment").first.focus()  # newest first: Carl
    page.keyboard.press("j")
    expect(page.locator(".inbox-comment", has_text="Berit")).to_be_focused()
    page.keyboard.press("a")
    expect(page.get_by_role("status")).to_have_text("1 comment approved.")
    expect(page.locator(".inbox-comment")).to_have_count(2)
    expect(page.locator(".inbox-comment", has_text="Anu")).to_be_focused()
    page.keyboard.press("k")
    expect(page.locator(".inbox-comment", has_text="Carl")).to_be_focused()
    page.keyboard.press("s")
    expect(page.get_by_role("status")).to_have_text("1 comment marked as spam.")
    expect(page.locator(".tabs a[aria-current=page] .count")).to_have_text("1")
    assert page.evaluate("window.stayed") is True  # no reload
    statuses = dict(Comment.objects.values_list("author_name", "status"))
    assert statuses == {"Anu": "pending", "Berit": "approved", "Carl": "spam"}
    # Reply as author, by keyboard: r opens the reply box.
    page.locator(".inbox-comment", has_text="Anu").focus()
    page.keyboard.press("r")
    expect(page.get_by_label("Your reply to Anu")).to_be_focused()
    page.keyboard.type("Thank you, Anu.")
    page.get_by_role("button", name="Approve and post reply").click()
    expect(page.get_by_role("status")).to_have_text("Your reply to Anu is published.")
    assert Comment.objects.get(body="Thank you, Anu.").parent.author_name == "Anu"
    assert page.watch.problems() == []


@pytest.mark.parametrize("width", WIDTHS)
def test_inbox_and_moderate_pages_fit_and_axe_finds_nothing(
    new_page, blog, author_account, mailbox, settings, width
):
    require(AXE, "axe-core (npm ci)")
    use_smtp(settings, mailbox.url())
    post = blog["galway-fleet"]
    held(post, "Liis", "See https://a.example and https://b.example for the timetable.")
    options = {"viewport": WIDTHS[width], "phone": width == "phone", "bypass_csp": True}
    inbox = new_page(**options)
    log_in(inbox)
    found = {"inbox": axe_and_screenshot(inbox, "desk-comments", width)}
    inbox.locator("details.reply summary").first.click()
    found["inbox-reply-open"] = axe_and_screenshot(inbox, "desk-comments-reply", width)

    reader = new_page()
    reader.goto(post.path)
    fill_comment(reader, "Kadri", "The harbour looks busier than last year.")
    reader.get_by_role("button", name="Publish your comment").click()
    assert mailbox.arrived.wait(10)
    moderate = new_page(**options)
    moderate.goto(links(mailbox.messages[0])["Approve"])
    found["moderate"] = axe_and_screenshot(moderate, "desk-moderate", width)
    moderate.get_by_role("button", name="Approve this comment").click()
    found["moderate-done"] = axe_and_screenshot(moderate, "desk-moderate-done", width)
    found = {name: violations for name, violations in found.items() if violations}
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)


def test_an_empty_comment_on_a_phone_is_named_at_the_form_which_gets_focus(new_page, blog):
    reader = new_page(viewport=PHONE, phone=True)
    reader.goto(blog["galway-fleet"].path)
    reader.get_by_role("button", name="Publish your comment").click()
    summary = reader.get_by_role("alert")
    expect(summary).to_have_text("Name and comment are required.")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(reader.locator("#id_author_name_error")).to_have_text("Name is required.")
    expect(reader.locator("#id_body_error")).to_have_text("Comment is required.")
    assert "faster than a person" not in reader.content()
    summary.get_by_role("link").click()
    expect(reader.get_by_label("Name")).to_be_focused()
