"""Readers comment; authors moderate; bots and floods are refused without losing a human's text."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from lxml import html as lxml_html

from dateline.comments.forms import start_token
from dateline.comments.models import Comment
from tests.pages import visible_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(make_post):
    return make_post(title="Harbour strike", labels=("Malta",))


def comment_data(**overrides) -> dict:
    data = {
        "author_name": "Ada from Gozo",
        "author_email": "ada@example.org",
        "author_url": "",
        "body": "The ferry was empty this morning.\n\nSee https://port.example/notices for more.",
        "website": "",
        "started": start_token(),
    }
    data.update(overrides)
    return data


def send(client, post, **overrides):
    return client.post(f"/comments/post/{post.pk}/", comment_data(**overrides))


def test_new_comment_waits_for_moderation(client, post):
    response = send(client, post)
    assert response.status_code == 303
    assert response["Location"] == f"{post.path}?comment=pending#comments"
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    page = client.get(response["Location"])
    lines = visible_lines(page.content)
    assert "0 Comments:" in lines
    assert any("awaiting moderation" in line for line in lines)
    assert "The ferry was empty this morning." not in lines


def test_approved_comment_shows_with_author_date_permalink_and_safe_links(client, post):
    send(client, post, author_url="https://ada.example/")
    comment = Comment.objects.get()
    comment.status = Comment.Status.APPROVED
    comment.save()
    page = client.get(post.path)
    lines = visible_lines(page.content)
    assert "1 Comment:" in lines
    assert "The ferry was empty this morning." in lines
    tree = lxml_html.fromstring(page.content)
    item = tree.get_element_by_id(f"comment-{comment.pk}")
    author = item.find(".//span[@class='comment-author']/a")
    assert author.text == "Ada from Gozo" and "nofollow" in author.get("rel")
    assert item.find(".//a[@class='comment-permalink']").get("href") == f"#comment-{comment.pk}"
    body_link = item.find(".//div[@class='comment-body']//a")
    assert body_link.get("href") == "https://port.example/notices"
    assert {"nofollow", "ugc"} <= set(body_link.get("rel").split())
    assert "ada@example.org" not in page.content.decode()


def test_comment_count_counts_only_approved_comments(client, post):
    for status in Comment.Status.values:
        Comment.objects.create(
            post=post,
            author_name="R",
            body=f"A {status} one",
            created_at=post.published_at,
            status=status,
        )
    assert "1 Comment:" in visible_lines(client.get(post.path).content)
    assert b"1 comment" in client.get("/").content


def test_comment_text_is_escaped_not_run(client, post):
    send(
        client,
        post,
        body='<script>alert("x")</script><img src=x onerror=alert(1)>',
        author_name="<b>Bold</b>",
    )
    Comment.objects.update(status=Comment.Status.APPROVED)
    content = client.get(post.path).content.decode()
    assert "<script>alert" not in content and "<img src=x" not in content
    assert "&lt;script&gt;" in content and "&lt;b&gt;Bold&lt;/b&gt;" in content


def test_honeypot_refuses_and_keeps_what_was_typed(client, post):
    response = send(client, post, website="http://spam.example", body="Words I typed")
    assert response.status_code == 400
    assert Comment.objects.count() == 0
    tree = lxml_html.fromstring(response.content)
    assert "looks automated" in tree.find(".//div[@class='form-errors']").text_content()
    assert tree.find(".//textarea[@name='body']").text.strip() == "Words I typed"


def test_too_fast_submission_is_refused_with_the_text_kept(client, post, settings):
    settings.DATELINE_COMMENT_MIN_SECONDS = 5
    response = send(client, post, body="Quick words", started=start_token(time.time()))
    assert response.status_code == 400
    assert Comment.objects.count() == 0
    assert b"faster than a person can type" in response.content
    assert b"Quick words" in response.content
    slow = send(client, post, started=start_token(time.time() - 6))
    assert slow.status_code == 303


def test_forged_start_token_is_refused(client, post):
    response = send(client, post, started="1.0:forged:signature")
    assert response.status_code == 400 and Comment.objects.count() == 0


def test_rate_limit_per_address(client, post, settings):
    settings.DATELINE_COMMENT_RATE = 2
    assert send(client, post).status_code == 303
    assert send(client, post).status_code == 303
    refused = send(client, post, body="Third try")
    assert refused.status_code == 429
    assert b"Too many comments" in refused.content and b"Third try" in refused.content
    assert Comment.objects.count() == 2
    other_reader = Client(REMOTE_ADDR="192.0.2.50")
    assert send(other_reader, post).status_code == 303


def test_too_long_comment_is_refused_before_storing(client, post, settings):
    settings.DATELINE_COMMENT_MAX_CHARS = 50
    response = send(client, post, body="x" * 51)
    assert response.status_code == 400
    assert Comment.objects.count() == 0


def test_name_is_required_email_and_url_are_optional(client, post):
    assert send(client, post, author_name="").status_code == 400
    assert send(client, post, author_email="", author_url="").status_code == 303
    assert send(client, post, author_url="javascript:alert(1)").status_code == 400


def test_csrf_is_enforced(post):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/comments/post/{post.pk}/", comment_data()).status_code == 403
    assert Comment.objects.count() == 0


def test_comments_on_drafts_and_unknown_posts_are_404(client, make_post):
    draft = make_post(status="draft")
    assert client.post(f"/comments/post/{draft.pk}/", comment_data()).status_code == 404
    assert client.post("/comments/post/999999/", comment_data()).status_code == 404


def test_auto_approve_known_commenters_when_enabled(client, post, settings):
    Comment.objects.create(
        post=post,
        author_name="Ada",
        author_email="ADA@example.org",
        body="Earlier",
        created_at=post.published_at,
        status="approved",
    )
    send(client, post, body="Default setting")
    assert Comment.objects.get(body="Default setting").status == "pending"
    settings.DATELINE_COMMENTS_AUTO_APPROVE_KNOWN = True
    response = send(client, post, body="Trusted now")
    trusted = Comment.objects.get(body="Trusted now")
    assert trusted.status == "approved"
    assert response["Location"] == f"{post.path}#comment-{trusted.pk}"
    send(client, post, author_email="stranger@example.org", body="Stranger")
    assert Comment.objects.get(body="Stranger").status == "pending"


def test_replies_nest_under_their_parent(client, post):
    parent = Comment.objects.create(
        post=post, author_name="A", body="First", created_at=post.published_at, status="approved"
    )
    send(client, post, body="A reply", parent=str(parent.pk))
    Comment.objects.filter(body="A reply").update(status="approved")
    tree = lxml_html.fromstring(client.get(post.path).content)
    replies = tree.get_element_by_id(f"comment-{parent.pk}").find(".//ol[@class='comment-replies']")
    assert "A reply" in replies.text_content()


@pytest.fixture
def author_client(db):
    user = get_user_model().objects.create_superuser("author", "a@example.org", "pw-for-tests")
    client = Client()
    client.force_login(user)
    return client


def test_author_moderates_in_bulk_from_the_admin(author_client, client, post):
    for n in range(3):
        send(client, post, body=f"Comment {n}")
    ids = list(Comment.objects.values_list("pk", flat=True))
    response = author_client.post(
        "/admin/comments/comment/",
        {"action": "approve", "_selected_action": ids[:2]},
    )
    assert response.status_code == 302
    assert "2 Comments:" in visible_lines(client.get(post.path).content)
    author_client.post(
        "/admin/comments/comment/", {"action": "mark_spam", "_selected_action": ids[2:]}
    )
    assert Comment.objects.get(pk=ids[2]).status == "spam"
    author_client.post(
        "/admin/comments/comment/", {"action": "remove", "_selected_action": ids[:1]}
    )
    assert "1 Comment:" in visible_lines(client.get(post.path).content)


def test_admin_is_for_staff_only(client, db):
    response = client.get("/admin/comments/comment/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    reader = get_user_model().objects.create_user("reader", password="pw-for-tests")
    client.force_login(reader)
    assert client.get("/admin/posts/post/").status_code == 302


def test_reply_link_threads_the_new_comment(client, post):
    parent = Comment.objects.create(
        post=post, author_name="A", body="First", created_at=post.published_at, status="approved"
    )
    page = lxml_html.fromstring(client.get(post.path).content)
    reply_href = page.find(".//p[@class='comment-actions']/a").get("href")
    assert reply_href == f"?reply={parent.pk}#comment-form"
    form_page = lxml_html.fromstring(client.get(post.path + f"?reply={parent.pk}").content)
    assert form_page.find(".//input[@name='parent']").get("value") == str(parent.pk)
    assert client.get(post.path + "?reply=abc").status_code == 200
