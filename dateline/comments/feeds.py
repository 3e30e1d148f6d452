"""Comment feeds at Blogger's paths: all comments, and one post's comments.

Read as value rows (one query, plus one for the post of a post's feed) and written by
posts.feedwriter (tests/posts/test_feed_rules.py checks the validator's rules).
A comment shows while its post is visible: the rule is an EXISTS on the post, so SQLite
walks the comments newest first and stops after a feed's worth (`post IN (visible posts)`
made it gather and sort every comment of every visible post).
"""

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from dateline.comments.models import Comment
from dateline.posts.feeditems import Channel, Entry, FeedContent
from dateline.posts.feedquery import FeedQuery, default_query
from dateline.posts.models import Post
from dateline.posts.prepared import ID, NOW, PreparedQuery, prepare, prepared
from dateline.site_settings.current import current

_LIMIT = " LIMIT %s OFFSET %s"
_COLUMNS = ("pk", "author_name", "body_html", "created_at", "post__title", "post__path")
ANONYMOUS = "Anonymous"  # a comment whose name was left empty (only an import leaves one)


@prepared
def _comments_query(using: str, vendor: str, one_post: bool) -> PreparedQuery:
    """Approved comments on visible posts (or on the post ID()), newest first."""
    visible = Post.objects.using(using).visible(NOW).filter(pk=OuterRef("post_id"))
    comments = Comment.objects.using(using).approved().filter(Exists(visible))
    markers: dict = {"now": NOW}
    if one_post:
        comments = comments.filter(post_id=ID())
        markers["post"] = ID()
    return prepare(comments.order_by("-created_at", "-id").values_list(*_COLUMNS), **markers)


@prepared
def _post_query(using: str, vendor: str) -> PreparedQuery:
    # A post with no path (only a write that bypassed save() leaves one) has no page for
    # readers to open, and so no comment feed either.
    posts = Post.objects.using(using).visible(NOW).filter(pk=ID(), path__gt="").order_by()
    return prepare(posts.values_list("title", "path"), now=NOW, post=ID())


def _visible_comments(post_id: int | None, query: FeedQuery) -> QuerySet:
    """The comments a bounded query asks for (the prepared query answers the others)."""
    visible = Post.objects.visible().filter(pk=OuterRef("post_id"))
    comments = Comment.objects.approved().filter(Exists(visible))
    if post_id is not None:
        comments = comments.filter(post_id=post_id)
    # A comment is published and updated at once: both bounds are on that moment.
    bounds = [
        ("created_at__gte", query.published_min),
        ("created_at__lt", query.published_max),
        ("created_at__gte", query.updated_min),
        ("created_at__lt", query.updated_max),
    ]
    for lookup, when in bounds:
        if when is not None:
            comments = comments.filter(**{lookup: when})
    return comments.order_by("-created_at", "-id")


def _comment_content(
    channel: Channel, post_id: int | None = None, query: FeedQuery | None = None
) -> FeedContent:
    """A page of the comments readers see (on one post, or on all), newest first."""
    query = query or default_query()
    wanted = (query.max_results + 1, query.offset)
    if query.plain:
        values = {"now": timezone.now()}
        if post_id is not None:
            values["post"] = post_id
        rows = _comments_query(post_id is not None).rows(_LIMIT, wanted, **values)
    else:
        found = _visible_comments(post_id, query).values_list(*_COLUMNS)
        rows = list(found[query.offset : query.offset + query.max_results + 1])
    entries = [
        Entry(
            title=f"{author_name or ANONYMOUS} on {post_title}",
            link=f"{post_path}#comment-{pk}",
            content=body_html,
            key=f"comment-{pk}",
            created=created_at,
            published=created_at,
            updated=created_at,  # a comment is not edited once approved
            author=author_name.strip() or ANONYMOUS,
            categories=(),
        )
        for pk, author_name, body_html, created_at, post_title, post_path in rows
    ]
    more = len(entries) > query.max_results
    return FeedContent(channel, entries[: query.max_results], more,
                       total=lambda: _visible_comments(post_id, query).count())  # fmt: skip


def _channel(title: str, link: str, feed_path: str) -> Channel:
    blog = current()
    return Channel(title, link, f"Comments on {blog.title}", None, feed_path, blog.title)


class CommentsFeed:
    """/feeds/comments/default: the newest comments on the whole blog."""

    def read(self, request: HttpRequest, query: FeedQuery) -> FeedContent:
        channel = _channel(f"{current().title}: comments", "/", "/feeds/comments/default")
        return _comment_content(channel, None, query)


class PostCommentsFeed:
    """/feeds/ID/comments/default: one visible post's newest comments; others are a 404."""

    def read(self, request: HttpRequest, query: FeedQuery, post_id: int) -> FeedContent:
        found = _post_query().rows(" LIMIT 1", now=timezone.now(), post=post_id)
        if not found:
            raise Http404("No such post.")
        title, path = found[0]
        channel = _channel(f"Comments on {title}", path, f"/feeds/{post_id}/comments/default")
        return _comment_content(channel, post_id, query)
