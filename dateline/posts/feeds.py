"""Blogger's feed paths in Atom 1.0 and RSS 2.0 (`?alt=rss`), full content by default."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from dateline.core.text import strip_control_chars
from dateline.posts import selectors
from dateline.posts.models import Label, Post


def atom_or_rss(feed_class: type[Feed]) -> Callable[..., HttpResponse]:
    """A view serving Atom, or RSS 2.0 for `?alt=rss` as Blogger's feeds do.

    Two instances, chosen per request: a Feed instance is shared between threads,
    so its format must never be switched on the instance itself.
    """
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
        return item.author.get_username() if item.author_id else None

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
