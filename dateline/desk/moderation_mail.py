"""E-mail every author when a comment is held, with signed links to approve or delete it.

The comment view sends `comment_held`; the message is queued as a background task once
the comment is committed (so the worker can read it), and sent from there: a slow or
unreachable mail server costs the reader nothing.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django_tasks import task

from dateline.comments.models import Comment
from dateline.comments.signals import comment_held
from dateline.desk.moderation import link_count
from dateline.desk.moderation_links import MAX_AGE, make_token


@receiver(comment_held)
def _queue_mail(sender: type, comment: Comment, site_url: str, **kwargs: object) -> None:
    transaction.on_commit(partial(mail_held_comment.enqueue, comment.pk, site_url))


@task()
def mail_held_comment(comment_id: int, site_url: str) -> int:
    """Send each active author with an address their own links; returns messages sent."""
    comment = Comment.objects.select_related("post").filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.PENDING:
        return 0  # decided (or gone) before the worker got to it: nothing to ask
    authors = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    messages = [held_comment_message(comment, author, site_url) for author in authors]
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def _one_line(text: str) -> str:
    return " ".join(text.split())


def held_comment_message(comment: Comment, author, site_url: str) -> EmailMessage:
    """The comment whole, who wrote it, and this author's two links."""
    base = site_url.rstrip("/")

    def link(action: str) -> str:
        return base + reverse("desk:moderate", args=[make_token(comment, author.pk, action)])

    post = comment.post
    lines = [
        f"{comment.author_name} commented on “{post.title}”:",
        "",
        comment.body,
        "",
        f"Name: {comment.author_name}",
        f"E-mail: {comment.author_email or '(none given)'}",
        f"Web site: {comment.author_url or '(none given)'}",
        f"Links in the comment: {link_count(comment)}",
        f"Post: {base}{post.path}",
        "",
        f"Approve: {link('approve')}",
        "",
        f"Delete: {link('delete')}",
        "",
        f"Each link opens a page with one button, needs no login, works once and lasts "
        f"{MAX_AGE.days} days.",
        f"Every comment waiting: {base}{reverse('desk:comments')}",
    ]
    subject = _one_line(f"Comment waiting on “{post.title}” from {comment.author_name}")
    return EmailMessage(
        subject=f"[{settings.DATELINE_SITE_TITLE}] {subject}",
        body="\n".join(lines) + "\n",
        to=[author.email],
    )
