"""Comment feeds at Blogger's paths: all comments, and one post's comments."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest

from dateline.comments.models import Comment
from dateline.core.text import strip_control_chars
from dateline.posts.models import Post


def _visible_comments():
    return (
        Comment.objects.approved()
        .filter(post__in=Post.objects.visible())
        .select_related("post")
        .order_by("-created_at", "-id")
    )


class CommentsFeed(Feed):
    def title(self) -> str:
        return f"{settings.DATELINE_SITE_TITLE}: comments"

    def link(self) -> str:
        return "/"

    def description(self) -> str:
        return f"Comments on {settings.DATELINE_SITE_TITLE}"

    def items(self) -> list[Comment]:
        return list(_visible_comments()[: settings.DATELINE_FEED_SIZE])

    def item_title(self, item: Comment) -> str:
        return strip_control_chars(f"{item.author_name} on {item.post.title}")

    def item_description(self, item: Comment) -> str:
        return item.body_html

    def item_link(self, item: Comment) -> str:
        return f"{item.post.path}#comment-{item.pk}"

    def item_pubdate(self, item: Comment):
        return item.created_at

    def item_author_name(self, item: Comment) -> str:
        return strip_control_chars(item.author_name)

    def item_guid(self, item: Comment) -> str:
        return f"tag:dateline,comment-{item.pk}"

    item_guid_is_permalink = False


class PostCommentsFeed(CommentsFeed):
    def get_object(self, request: HttpRequest, post_id: int) -> Post:
        post = Post.objects.visible().filter(pk=post_id).first()
        if post is None:
            raise Http404("No such post.")
        return post

    def title(self, obj: Post) -> str:
        return strip_control_chars(f"Comments on {obj.title}")

    def link(self, obj: Post) -> str:
        return obj.path

    def items(self, obj: Post) -> list[Comment]:
        return list(_visible_comments().filter(post=obj)[: settings.DATELINE_FEED_SIZE])
