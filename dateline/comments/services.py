"""Writing comments: rate limit, moderation rule, storage.

The rate limit counts a reader's recent comments and stores the new one in one
transaction holding a lock on the reader's address bucket (`core.keylock`), so two
requests from one bucket cannot both count four and both store a fifth. The bucket is
the address for IPv4 and the /64 for IPv6 (`core.clientip.rate_limit_key`).

A name that is one of the blog's authors' (`authornames`) is refused unless a logged-in
author sends it; their comments are stored marked `by_author`, for the page to show.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from dateline.comments.authornames import is_author_name
from dateline.comments.models import Comment
from dateline.core.clientip import rate_limit_key
from dateline.core.keylock import hold_key_lock
from dateline.posts.models import Post
from dateline.site_settings.current import current
from dateline.site_settings.models import CommentPolicy


class CommentRefused(Exception):
    """A comment that must not be stored; the message is for the person who wrote it."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class CommentSubmission:
    author_name: str
    body: str
    author_email: str = ""
    author_url: str = ""
    parent_id: int | None = None
    by_author: bool = False  # sent by a logged-in author of the blog


def hash_ip(ip: str) -> str:
    """Keyed hash: lets us rate-limit and spot repeat spammers without storing addresses."""
    return salted_hmac("dateline.comments.ip", ip or "unknown").hexdigest()


def _check_rate(ip_hash: str) -> None:
    since = timezone.now() - timedelta(seconds=settings.DATELINE_COMMENT_RATE_WINDOW)
    recent = Comment.objects.filter(ip_hash=ip_hash, created_at__gte=since).count()
    if recent >= settings.DATELINE_COMMENT_RATE:
        minutes = max(1, settings.DATELINE_COMMENT_RATE_WINDOW // 60)
        raise CommentRefused(
            f"Too many comments from your address in the last {minutes} minutes. "
            "Your text is still here: please try again later.",
            status=429,
        )


def _initial_status(submission: CommentSubmission) -> str:
    """As the blog's comment policy says (set at the desk; the environment's default is
    DATELINE_COMMENTS_AUTO_APPROVE_KNOWN): hold every comment, hold only an e-mail with no
    approved comment yet, or hold none. The bot traps and rate limit ran before this."""
    policy = current().comment_policy
    if policy == CommentPolicy.NONE:
        return Comment.Status.APPROVED
    if policy == CommentPolicy.FIRST_TIME and submission.author_email:
        known = Comment.objects.approved().filter(author_email__iexact=submission.author_email)
        if known.exists():
            return Comment.Status.APPROVED
    return Comment.Status.PENDING


def submit_comment(post: Post, submission: CommentSubmission, ip: str) -> Comment:
    """Store a reader's comment on a visible post, or refuse it with a reason."""
    if not post.is_visible:
        raise CommentRefused("Comments are closed for this page.", status=403)
    if not submission.by_author and is_author_name(submission.author_name):
        raise CommentRefused(
            f"“{submission.author_name}” is the name of this blog's author, so only they "
            "can comment under it. Please choose another name; your text is still here."
        )
    ip_hash = hash_ip(rate_limit_key(ip))
    parent = None
    if submission.parent_id is not None:
        parent = post.comments.approved().filter(pk=submission.parent_id).first()
        if parent is None:
            raise CommentRefused("The comment you are replying to is not there any more.")
    status = _initial_status(submission)
    with transaction.atomic():
        hold_key_lock(f"comments.rate:{ip_hash}")
        _check_rate(ip_hash)
        return Comment.objects.create(
            post=post,
            parent=parent,
            author_name=submission.author_name,
            author_email=submission.author_email,
            author_url=submission.author_url,
            body=submission.body,
            created_at=timezone.now(),
            status=status,
            by_author=submission.by_author,
            ip_hash=ip_hash,
        )
