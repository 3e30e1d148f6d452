"""Moderating comments at the desk: what each action does, and replying as the author.

Every change goes through Comment.save(), one comment at a time, so the signals that keep
cached pages and feeds fresh see it (an update() would slip past them). "Delete" keeps the
row as `removed`: the Deleted tab can bring a comment back, so a slip loses nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from dateline.comments.models import Comment
from dateline.people.names import display_name

Status = Comment.Status
# action name -> (status it sets, what a message says was done)
ACTIONS: dict[str, tuple[str, str]] = {
    "approve": (Status.APPROVED, "approved"),
    "spam": (Status.SPAM, "marked as spam"),
    "delete": (Status.REMOVED, "deleted"),
}
DONE = {status: verb for status, verb in ACTIONS.values()} | {Status.PENDING: "put back to wait"}
_LINK = re.compile(r"<a\s", re.IGNORECASE)


class UnknownAction(ValueError):
    """An action name that is not approve, spam or delete."""


def moderate(comments: Iterable[Comment], action: str) -> list[Comment]:
    """Give each comment the action's status; the ones that changed are returned."""
    if action not in ACTIONS:
        raise UnknownAction(f"Unknown action {action!r}: use approve, spam or delete.")
    status = ACTIONS[action][0]
    changed = []
    with transaction.atomic():
        for comment in comments:
            if comment.status != status:
                comment.status = status
                comment.save(update_fields=["status"])
                changed.append(comment)
    return changed


def summary(count: int, action: str) -> str:
    """'2 comments approved.' (what the author is told after an action)."""
    return f"{count} comment{'s' if count != 1 else ''} {ACTIONS[action][1]}."


def link_count(comment: Comment) -> int:
    """Links in the comment's text, the first thing to look at for spam."""
    return len(_LINK.findall(comment.body_html))


def author_name(user: AbstractBaseUser) -> str:
    """The name an author's reply is signed with: their byline, never the login name."""
    return display_name(user) or ""


def can_reply(comment: Comment) -> bool:
    """Replies go under comments readers see or will see; never under spam or deleted ones."""
    return comment.status in (Status.PENDING, Status.APPROVED)


def reply_as_author(parent: Comment, user: AbstractBaseUser, body: str) -> Comment:
    """The author's reply, shown at once; replying to a waiting comment approves it too,
    as a reply under a hidden comment would stand alone out of context."""
    fields = {
        "post": parent.post,
        "parent": parent,
        "author_name": author_name(user),
        "author_email": getattr(user, "email", ""),
        "body": body,
        "created_at": timezone.now(),
        "status": Status.APPROVED,
    }
    if _has_field(Comment, "by_author"):  # added in a parallel branch; set when present
        fields["by_author"] = True
    with transaction.atomic():
        if parent.status != Status.APPROVED:
            parent.status = Status.APPROVED
            parent.save(update_fields=["status"])
        return Comment.objects.create(**fields)


def _has_field(model: type[Comment], name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())
