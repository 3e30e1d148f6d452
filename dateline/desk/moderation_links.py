"""Signed one-click moderation links for e-mail: no login, one author, 7 days, once.

A token names the comment, the author it was sent to, the action, and the comment's
status when it was signed (pending). It acts only while the comment still has that
status, so after any decision (by this link, another author's, or the inbox) every link
for the comment is spent. An author who is no longer active staff has no working links.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing

from dateline.comments.models import Comment

SALT = "dateline.desk.moderate"
MAX_AGE = timedelta(days=7)
LINK_ACTIONS = ("approve", "delete")


class LinkExpired(Exception):
    """The signature is good but older than MAX_AGE."""


class LinkInvalid(Exception):
    """Not a token we signed (cut short, altered, or for another site)."""


@dataclass(frozen=True)
class Ticket:
    comment_id: int
    user_id: int
    action: str
    status: str  # the comment's status when the link was made


def make_token(comment: Comment, user_id: int, action: str) -> str:
    if action not in LINK_ACTIONS:
        raise ValueError(f"E-mailed links approve or delete, not {action!r}.")
    payload = {"c": comment.pk, "u": user_id, "a": action, "s": comment.status}
    return signing.TimestampSigner(salt=SALT).sign_object(payload)


def read_token(token: str) -> Ticket:
    """The ticket a token carries, or LinkExpired / LinkInvalid."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        payload = signer.unsign_object(token, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except (signing.BadSignature, ValueError):
        raise LinkInvalid from None
    try:
        ticket = Ticket(int(payload["c"]), int(payload["u"]), str(payload["a"]), str(payload["s"]))
    except (KeyError, TypeError, ValueError):
        raise LinkInvalid from None
    if ticket.action not in LINK_ACTIONS:
        raise LinkInvalid
    return ticket
