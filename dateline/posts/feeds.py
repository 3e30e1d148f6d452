"""Blogger's feed paths in Atom 1.0 and RSS 2.0 (`?alt=rss`), full content by default.

A feed is read as value rows in a constant number of queries compiled once per process
(the posts, then all their label names in one query) and written by posts.feedwriter:
the syndication framework's model instances, label prefetch and per-item introspection
cost about 5 of a 25-post feed's 7 ms. tests/posts/test_feed_output.py holds the bytes
and headers to what django.contrib.syndication gave for the same feeds.
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from dateline.core.pagequery import reads
from dateline.people.names import AUTHOR_COLUMNS, byline, display_name
from dateline.posts import preload, selectors
from dateline.posts.feeditems import Channel, Entry, FeedContent, lead_image, related
from dateline.posts.feedwriter import feed_response
from dateline.posts.models import Label, Post, Source
from dateline.posts.paths import label_path
from dateline.posts.prepared import ID, NOW, PreparedQuery, prepare, prepared
from dateline.site_settings.current import current

_LIMIT = " LIMIT %s"
FEED_PATH = "/feeds/posts/default"
# Every stored field of the post's Source, so source.link_url and source.display_name
# (whatever fields they come to read) work on a Source built from the row.
_SOURCE_FIELDS = tuple(field.attname for field in Source._meta.concrete_fields)
_SOURCE_COLUMNS = tuple(f"source__{name}" for name in _SOURCE_FIELDS)


class FeedReader(Protocol):
    """A feed: read() runs its queries (or raises Http404) and gives its values."""

    def read(self, request: HttpRequest, *args, **kwargs) -> FeedContent: ...


def atom_or_rss(feed_class: type[FeedReader]) -> Callable[..., HttpResponse]:
    """A view serving the feed in Atom, or in RSS 2.0 for `?alt=rss` as Blogger's feeds do."""
    feed = feed_class()

    def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        content = feed.read(request, *args, **kwargs)
        rss = request.GET.get("alt") == "rss"
        reads(request, "alt", "rss" if rss else None)
        return feed_response(request, content, rss=rss)

    return view


@prepared
def _posts_query(using: str, vendor: str, labels: int) -> PreparedQuery:
    """selectors.listing() (narrowed to posts carrying each of `labels` labels) as the
    columns a feed shows, newest first."""
    posts = Post.objects.using(using).published(NOW)
    markers: dict = {"now": NOW}
    for n in range(labels):
        posts = posts.filter(labels=ID(n))
        markers[f"label{n}"] = ID(n)
    columns = ("pk", "title", "body_html", "path", "published_at", "updated_at", "created_at",
               "lead_image", "lead_image_caption", *_SOURCE_COLUMNS, "author_id",
               *AUTHOR_COLUMNS)  # fmt: skip
    return prepare(posts.order_by("-published_at", "-id").values_list(*columns), **markers)


@prepared
def _label_names_query(using: str, vendor: str, size: int) -> PreparedQuery:
    """(post id, label name) for up to `size` posts, labels by name as a prefetch of
    Post.labels orders them (the database's collation decides)."""
    links = (
        Post.labels.through.objects.using(using)
        .filter(post_id__in=[ID(n) for n in range(size)])
        .order_by("label__name", "label_id")
        .values_list("post_id", "label__name")
    )
    return prepare(links, **{f"post{n}": ID(n) for n in range(size)})


def _label_names(ids: list[int]) -> dict[int, list[str]]:
    """Each post's label names, in one query compiled for a few list lengths."""
    names: dict[int, list[str]] = {pk: [] for pk in ids}
    if not ids:
        return names
    size = 1 << (len(ids) - 1).bit_length()
    padded = ids + [ids[0]] * (size - len(ids))
    for post_id, name in _label_names_query(size).rows(
        **{f"post{n}": pk for n, pk in enumerate(padded)}
    ):
        names[post_id].append(name)
    return names


def _held_rows(labels: Sequence[Label]) -> tuple[list[tuple], dict[int, list[str]]]:
    """_post_content's rows and label names from the posts a build read once: the same
    posts, the listing's ids being the database's (posts.preload)."""
    posts = selectors.PostList(labels=labels)[: settings.DATELINE_FEED_SIZE]
    rows = [(post.pk, post.title, post.body_html, post.path, post.published_at,
             post.updated_at, post.created_at, post.lead_image.name, post.lead_image_caption,
             post.source, display_name(post.author))
            for post in posts]  # fmt: skip
    return rows, {post.pk: [label.name for label in post.label_list] for post in posts}


def _source_of(values: tuple) -> Source | None:
    """The Source a row's source columns hold (None: the post has none)."""
    fields = dict(zip(_SOURCE_FIELDS, values, strict=True))
    return None if fields["id"] is None else Source(**fields)


def _post_content(channel: Channel, labels: Sequence[Label] = ()) -> FeedContent:
    """The newest DATELINE_FEED_SIZE published posts (carrying every one of `labels`)."""
    if preload.current() is not None:
        rows, names = _held_rows(labels)
    else:
        markers = {f"label{n}": label.pk for n, label in enumerate(labels)}
        found = _posts_query(len(labels)).rows(
            _LIMIT, (settings.DATELINE_FEED_SIZE,), now=timezone.now(), **markers
        )
        # The author's byline from its columns (never the login name); None: no author.
        width = 9 + len(_SOURCE_FIELDS)
        rows = [(*row[:9], _source_of(row[9:width]),
                 None if row[width] is None else byline(*row[width + 1 :]))
                for row in found]  # fmt: skip
        names = _label_names([row[0] for row in rows])
    return channel, [_entry(*row, names[row[0]]) for row in rows]


def _entry(pk: int, title: str, body_html: str, path: str | None, published: datetime,
           updated: datetime, created: datetime, image: str, caption: str,
           source: Source | None, author: str | None, categories: list[str]) -> Entry:  # fmt: skip
    return Entry(
        title=title,
        link=path or reverse("admin:posts_post_change", args=[pk]),
        content=body_html,
        key=f"post-{pk}",
        created=created,
        published=published,
        updated=max(updated, published),  # an edit before publishing is not news
        author=author,
        categories=categories,
        image=lead_image(image, caption),
        source=related(source),
    )


def _channel(title: str, link: str, feed_path: str) -> Channel:
    blog = current()
    return Channel(title, link, blog.description, blog.description, feed_path, blog.title)


class PostsFeed:
    """/feeds/posts/default: the blog's newest posts."""

    def read(self, request: HttpRequest) -> FeedContent:
        return _post_content(_channel(current().title, "/", FEED_PATH))


class LabelFeed:
    """/feeds/posts/default/-/Iran (or Iran+Iraq): the newest posts carrying the labels;
    an unknown label is a 404. A combined feed is its own feed: its own id (the feed's
    address, labels as found) and its own page (the combined label page)."""

    def read(self, request: HttpRequest, expression: str) -> FeedContent:
        labels = selectors.labels_for_expression(expression)
        names = " + ".join(label.name for label in labels)
        joined = "+".join(quote(label.name, safe="") for label in labels)
        page = label_path(labels[0].name) if len(labels) == 1 else f"/search/label/{joined}"
        channel = _channel(f"{current().title}: {names}", page, f"{FEED_PATH}/-/{joined}")
        return _post_content(channel, labels)
