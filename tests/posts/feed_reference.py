"""The feeds as django.contrib.syndication wrote them, before posts.feedwriter wrote them
from rows: the reference tests/posts/test_feed_output.py holds the served feeds to, byte for
byte. The classes are the ones dateline/posts/feeds.py and dateline/comments/feeds.py had
(git history), kept here unchanged; the site does not use them."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from dateline.comments.models import Comment
from dateline.core.text import strip_control_chars
from dateline.posts import selectors
from dateline.posts.models import Label, Post


def atom_or_rss(feed_class: type[Feed]) -> Callable[..., HttpResponse]:
    atom = type(f"{feed_class.__name__}Atom", (feed_class,), {"feed_type": Atom1Feed})()
    rss = type(f"{feed_class.__name__}Rss", (feed_class,), {"feed_type": Rss201rev2Feed})()

    def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        feed = rss if request.GET.get("alt") == "rss" else atom
        return feed(request, *args, **kwargs)

    return view


class PostsFeed(Feed):
    def title(self) -> str:
        return settings.DATELINE_SITE_TITLE

    def subtitle(self) -> str:
        return settings.DATELINE_SITE_DESCRIPTION

    description = subtitle

    def link(self) -> str:
        return "/"

    def items(self) -> list[Post]:
        return list(selectors.listing()[: settings.DATELINE_FEED_SIZE])

    def item_title(self, item: Post) -> str:
        return strip_control_chars(item.title)

    def item_description(self, item: Post) -> str:
        return strip_control_chars(item.body_html)

    def item_pubdate(self, item: Post):
        return item.published_at

    def item_updateddate(self, item: Post):
        return item.updated_at

    def item_author_name(self, item: Post) -> str | None:
        return item.byline  # was the login name; the display name since the people issue

    def item_categories(self, item: Post) -> list[str]:
        return [label.name for label in item.labels.all()]

    def item_guid(self, item: Post) -> str:
        return f"tag:dateline,post-{item.pk}"

    item_guid_is_permalink = False


class LabelFeed(PostsFeed):
    def get_object(self, request: HttpRequest, expression: str) -> list[Label]:
        return selectors.labels_for_expression(expression)

    def title(self, obj: list[Label]) -> str:
        names = " + ".join(label.name for label in obj)
        return f"{settings.DATELINE_SITE_TITLE}: {names}"

    def link(self, obj: list[Label]) -> str:
        return obj[0].get_absolute_url()

    def items(self, obj: list[Label]) -> list[Post]:
        return list(selectors.posts_with_all_labels(obj)[: settings.DATELINE_FEED_SIZE])


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


# The reference view for each feed's URL name in dateline/urls.py.
VIEWS = {
    "feed-posts": atom_or_rss(PostsFeed),
    "feed-label": atom_or_rss(LabelFeed),
    "feed-comments": atom_or_rss(CommentsFeed),
    "feed-post-comments": atom_or_rss(PostCommentsFeed),
}
