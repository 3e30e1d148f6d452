"""A held comment e-mails every author, through a real SMTP server on 127.0.0.1, with
signed links that approve or delete it: no login, one button, once, for 7 days."""

import time
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.test import Client
from django_tasks_db.models import DBTaskResult

from dateline.comments.forms import start_token
from dateline.comments.models import Comment
from dateline.desk.moderation_links import SALT, make_token
from tests.desk.smtp import body, links, mailbox_fixture, use_smtp  # noqa: F401
from tests.pages import visible_lines
from tests.ports import free_port

pytestmark = pytest.mark.django_db

TEXT = "The ferry was empty this morning.\n\nSee https://port.example/notices and https://b.example"


@pytest.fixture
def authors():
    users = get_user_model().objects
    return [
        users.create_user("hana", "hana@blog.example", "pw", is_staff=True),
        users.create_user("otto", "otto@blog.example", "pw", is_staff=True, first_name="Otto"),
        # Not told: no address, no longer active, or not an author.
        users.create_user("quiet", "", "pw", is_staff=True),
        users.create_user("gone", "gone@blog.example", "pw", is_staff=True, is_active=False),
        users.create_user("reader", "reader@blog.example", "pw"),
    ]


@pytest.fixture
def post(make_post):
    return make_post(title="Harbour strike")


def comment_on(client, post, **overrides):
    data = {"author_name": "Ada from Gozo", "author_email": "ada@example.org",
            "author_url": "https://ada.example", "body": TEXT, "website": "",
            "started": start_token(time.time() - 10)}  # fmt: skip
    data.update(overrides)
    return client.post(f"/comments/post/{post.pk}/", data)


def held_comment_mail(client, post, mailbox, settings, capture):
    use_smtp(settings, mailbox.url("dateline", "p@ss:w/rd"))
    with capture(execute=True):
        assert comment_on(client, post).status_code == 303
    return Comment.objects.get(author_name="Ada from Gozo")


def path(url: str) -> str:
    return urlsplit(url).path


def test_every_author_gets_the_whole_comment_and_their_own_links(
    client, post, authors, mailbox, settings, django_capture_on_commit_callbacks
):
    comment = held_comment_mail(client, post, mailbox, settings, django_capture_on_commit_callbacks)
    assert mailbox.logins == [("dateline", "p@ss:w/rd")]  # the URL's credentials reached it
    told = sorted(str(message["To"]) for message in mailbox.messages)
    assert told == ["hana@blog.example", "otto@blog.example"]
    message = mailbox.messages[0]
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert "Harbour strike" in message["Subject"] and "Ada from Gozo" in message["Subject"]
    text = body(message)
    assert TEXT in text and "ada@example.org" in text and "https://ada.example" in text
    assert "Links in the comment: 2" in text and post.path in text
    found = links(message)
    assert found["Approve"].startswith("http://testserver/desk/moderate/")
    other = links(mailbox.messages[1])
    assert other["Approve"] != found["Approve"]  # signed for each author
    assert comment.status == Comment.Status.PENDING


def test_the_approve_link_shows_one_button_then_approves_once_without_login(
    client, post, authors, mailbox, settings, django_capture_on_commit_callbacks
):
    comment = held_comment_mail(client, post, mailbox, settings, django_capture_on_commit_callbacks)
    approve, delete = (path(links(mailbox.messages[0])[key]) for key in ("Approve", "Delete"))
    author = Client()  # no login: the link is the key
    shown = author.get(approve)
    assert shown.status_code == 200
    assert shown["Cache-Control"] == "private, no-store"
    assert shown["Referrer-Policy"] == "same-origin"  # the token never leaves the site
    lines = visible_lines(shown.content)
    assert "Approve this comment?" in lines and "The ferry was empty this morning." in lines
    author.head(approve)  # a mail scanner following the link
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING  # opening the link changed nothing

    done = author.post(approve)
    assert done.status_code == 200 and "Comment approved" in visible_lines(done.content)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert "The ferry was empty this morning." in visible_lines(Client().get(post.path).content)

    again = author.post(approve)
    assert again.status_code == 409 and "Already approved" in visible_lines(again.content)
    late_delete = author.post(delete)  # the other link of the same mail is spent too
    assert late_delete.status_code == 409
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert "Already approved" in visible_lines(author.get(approve).content)


def test_the_delete_link_deletes_and_a_decision_at_the_desk_spends_the_links(
    client, post, authors, mailbox, settings, django_capture_on_commit_callbacks
):
    comment = held_comment_mail(client, post, mailbox, settings, django_capture_on_commit_callbacks)
    delete = path(links(mailbox.messages[0])["Delete"])
    assert Client().post(delete).status_code == 200
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED  # kept, in the Deleted tab
    approve = path(links(mailbox.messages[1])["Approve"])
    assert Client().post(approve).status_code == 409
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED


def test_expired_tampered_and_former_authors_links_are_refused(post, authors):
    comment = Comment.objects.create(post=post, author_name="Ada", body="Hi",
                                     created_at=post.published_at)  # fmt: skip
    hana, gone = authors[0], authors[3]

    class EightDaysAgo(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - 8 * 24 * 3600)

    old = EightDaysAgo(salt=SALT).sign_object({"c": comment.pk, "u": hana.pk, "a": "approve",
                                               "s": "pending"})  # fmt: skip
    expired = Client().post(f"/desk/moderate/{old}/")
    assert expired.status_code == 410 and "This link has expired" in visible_lines(expired.content)

    good = make_token(comment, hana.pk, "approve")
    for bad in (good[:-1] + ("A" if good[-1] != "A" else "B"), good.replace(":", ":x", 1), "x"):
        refused = Client().post(f"/desk/moderate/{bad}/")
        assert refused.status_code == 400
        assert "This link is not valid" in visible_lines(refused.content)
    forged = signing.TimestampSigner(salt="another.salt").sign_object(
        {"c": comment.pk, "u": hana.pk, "a": "approve", "s": "pending"}
    )
    assert Client().post(f"/desk/moderate/{forged}/").status_code == 400
    former = Client().post(f"/desk/moderate/{make_token(comment, gone.pk, 'approve')}/")
    assert former.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert Client().post(f"/desk/moderate/{good}/").status_code == 200


def test_a_dead_mail_server_costs_the_reader_nothing(
    client, post, authors, settings, django_capture_on_commit_callbacks
):
    use_smtp(settings, f"smtp://127.0.0.1:{free_port()}")  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        response = comment_on(client, post)
    assert response.status_code == 303 and "comment=pending" in response["Location"]
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_mail_is_sent_by_the_worker_after_the_commit_not_by_the_readers_request(
    client, post, authors, mailbox, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    use_smtp(settings, mailbox.url())
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert comment_on(client, post).status_code == 303
    assert queued and DBTaskResult.objects.count() == 0  # nothing before the commit
    for callback in queued:
        callback()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "dateline.desk.moderation_mail.mail_held_comment"
    assert mailbox.messages == []  # queued, not sent: the reader waited on no mail server
    queued.task.call(*queued.args_kwargs["args"])  # what `dateline worker` does with the row
    assert len(mailbox.messages) == 2


def test_an_approved_or_refused_comment_sends_no_mail(
    client, post, authors, mailbox, settings, django_capture_on_commit_callbacks
):
    use_smtp(settings, mailbox.url())
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, author_name="", body="")  # refused: nothing stored
        settings.DATELINE_COMMENTS_AUTO_APPROVE_KNOWN = True
        Comment.objects.create(post=post, author_name="Known", author_email="k@example.org",
                               body="Earlier", created_at=post.published_at,
                               status=Comment.Status.APPROVED)  # fmt: skip
        comment_on(client, post, author_email="k@example.org")  # published at once
    assert mailbox.messages == []
