"""/desk/comments/: every comment whole, one-click actions and bulk ones, reply as author."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from lxml import html as lxml_html

from dateline.comments.models import Comment
from tests.pages import visible_lines

pytestmark = pytest.mark.django_db
ACT = "/desk/comments/act/"


@pytest.fixture
def author() -> Client:
    user = get_user_model().objects.create_user(
        "hana", "hana@blog.example", "pw", is_staff=True, first_name="Hana", last_name="Berg"
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def post(make_post):
    return make_post(title="Harbour strike")


def held(post, name="Maren", body="Is the ferry back?", **fields) -> Comment:
    fields.setdefault("created_at", datetime(2026, 12, 7, 13, 5, tzinfo=UTC))
    return Comment.objects.create(post=post, author_name=name, body=body, **fields)


def test_only_authors_reach_the_inbox_and_its_actions(post):
    comment = held(post)
    assert Client().get("/desk/comments/")["Location"] == "/admin/login/?next=/desk/comments/"
    assert Client().post(ACT, {"comment": comment.pk, "action": "approve"}).status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_the_inbox_shows_each_waiting_comment_whole_in_the_blogs_time_zone(author, post, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    long_text = "First paragraph. " * 40 + "\n\nSee https://a.example and https://b.example"
    held(post, body=long_text, author_email="maren@example.org",
         author_url="https://maren.example")  # fmt: skip
    held(post, name="Approved One", status=Comment.Status.APPROVED)
    response = author.get("/desk/comments/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    lines = visible_lines(response.content)
    assert "Maren on Harbour strike" in lines
    assert ("First paragraph. " * 40).strip() in page  # whole, not cut
    assert "mailto:maren@example.org" in page and 'href="https://maren.example"' in page
    assert "7 Dec 2026, 14:05 CET · 2 links" in lines
    assert "Approved One" not in page
    tree = lxml_html.fromstring(response.content)
    assert tree.find(".//nav[@class='tabs']//a[@aria-current='page']").text_content() == (
        "Waiting 1"
    )
    assert tree.find(".//a[@href='/desk/comments/'][@aria-current='page']") is not None
    approved_tab = author.get("/desk/comments/?status=approved").content.decode()
    assert "Approved One" in approved_tab and "Maren" not in approved_tab


def test_one_click_approve_spam_and_delete_come_back_to_the_same_tab(author, post):
    first, second, third = held(post, "A"), held(post, "B"), held(post, "C")
    done = author.post(ACT, {"comment": first.pk, "action": "approve", "tab": "pending"})
    assert done.status_code == 303 and done["Location"] == "/desk/comments/"
    assert "1 comment approved." in visible_lines(author.get(done["Location"]).content)
    author.post(ACT, {"comment": second.pk, "action": "spam"})
    author.post(ACT, {"comment": third.pk, "action": "delete", "tab": "pending"})
    statuses = {c.author_name: c.status for c in Comment.objects.all()}
    assert statuses == {"A": "approved", "B": "spam", "C": "removed"}
    # A deletion can be undone from the Deleted tab.
    back = author.post(ACT, {"comment": third.pk, "action": "approve", "tab": "removed"})
    assert back["Location"] == "/desk/comments/?status=removed"
    third.refresh_from_db()
    assert third.status == Comment.Status.APPROVED


def test_bulk_action_and_the_json_answer_for_scripts(author, post):
    comments = [held(post, name) for name in "ABC"]
    answer = author.post(ACT, {"comment": [comments[0].pk, comments[1].pk], "action": "spam"},
                         headers={"Accept": "application/json"})  # fmt: skip
    assert answer.json() == {"changed": [comments[0].pk, comments[1].pk],
                             "message": "2 comments marked as spam."}  # fmt: skip
    assert Comment.objects.get(pk=comments[2].pk).status == Comment.Status.PENDING
    nothing = author.post(ACT, {"action": "approve"})
    assert "Select at least one comment first." in visible_lines(
        author.get(nothing["Location"]).content
    )
    unknown = author.post(ACT, {"comment": comments[2].pk, "action": "publish"})
    assert unknown.status_code == 400 and b"use approve, spam or delete" in unknown.content


def test_reply_as_author_approves_the_comment_and_shows_the_reply_under_it(author, post):
    comment = held(post)
    done = author.post(f"/desk/comments/{comment.pk}/reply/", {"body": "Yes, since Monday.",
                                                               "tab": "pending"})  # fmt: skip
    assert done.status_code == 303
    comment.refresh_from_db()
    reply = Comment.objects.get(parent=comment)
    assert comment.status == reply.status == Comment.Status.APPROVED
    assert (reply.author_name, reply.author_email) == ("Hana Berg", "hana@blog.example")
    if any(field.name == "by_author" for field in Comment._meta.get_fields()):
        assert reply.by_author is True
    page = lxml_html.fromstring(Client().get(post.path).content)
    replies = page.get_element_by_id(f"comment-{comment.pk}").find(
        ".//ol[@class='comment-replies']"
    )
    assert "Yes, since Monday." in replies.text_content()


def test_a_refused_reply_keeps_its_text_and_spam_takes_no_replies(author, post):
    comment = held(post)
    empty = author.post(f"/desk/comments/{comment.pk}/reply/", {"body": "  "})
    assert empty.status_code == 400 and "Write a reply first." in visible_lines(empty.content)
    too_long = author.post(f"/desk/comments/{comment.pk}/reply/", {"body": "x" * 5000})
    assert too_long.status_code == 400 and "x" * 5000 in too_long.content.decode()
    spam = held(post, "Spammer", status=Comment.Status.SPAM)
    refused = author.post(f"/desk/comments/{spam.pk}/reply/", {"body": "Hello"})
    assert refused.status_code == 409
    assert Comment.objects.filter(parent__isnull=False).count() == 0


def test_the_desk_links_its_comments_to_the_inbox_not_the_admin(author, post):
    held(post)
    home = author.get("/desk/").content.decode()
    assert "/admin/comments/" not in home
    tree = lxml_html.fromstring(home)
    nav = tree.find(".//nav[@class='desk-nav']")
    assert any(a.get("href") == "/desk/comments/" for a in nav.iter("a"))
    assert tree.xpath("//a[text()='Moderate comments']")[0].get("href") == "/desk/comments/"
