"""Reading comments for a post page: approved ones, as threads, in one query."""

from dataclasses import dataclass, field

from dateline.comments.models import Comment
from dateline.posts import preload
from dateline.posts.models import Post
from dateline.posts.prepared import ID, PreparedQuery, prepare, prepared


@dataclass
class Thread:
    comment: Comment
    replies: list["Thread"] = field(default_factory=list)


@prepared
def _approved_query(using: str, vendor: str) -> PreparedQuery:
    """Compiled once: building the queryset cost more than SQLite's answer."""
    comments = Comment.objects.using(using).filter(post_id=ID()).approved()
    return prepare(comments.order_by("created_at", "id"), post=ID())


def comment_threads(post: Post) -> tuple[list[Thread], int]:
    """Approved comments nested under their parents; a reply whose parent is hidden stands alone."""
    held = preload.current()
    if held is not None and post.pk in held.by_id:
        comments = held.comments.get(post.pk, [])
    else:
        comments = _approved_query().objects(post=post.pk)
    threads = {comment.pk: Thread(comment) for comment in comments}
    roots: list[Thread] = []
    for comment in comments:
        parent = threads.get(comment.parent_id) if comment.parent_id else None
        (parent.replies if parent else roots).append(threads[comment.pk])
    return roots, len(comments)
