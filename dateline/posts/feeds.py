"""Blogger's post feeds: every post, a label's (or labels'), one post by id.

A feed is read as value rows in a constant number of queries compiled once per process
(the posts, then all their label names in one query): the syndication framework's model
instances, label prefetch and per-item introspection cost most of a feed's time. A query
the compiled one does not answer (`orderby=updated`, a date bound) goes through the ORM.
The view (`atom_or_rss`) reads Blogger's parameters (posts.feedquery) and answers in the
format asked (posts.feedresponse).
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol
from urllib.parse import quote

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from dateline.people.names import AUTHOR_COLUMNS, byline, display_name
from dateline.posts import preload, selectors
from dateline.posts.feeditems import Channel, Entry, FeedContent, lead_image, related
from dateline.posts.feedquery import FeedQuery, default_query, read_query
from dateline.posts.feedresponse import read_feed, respond
from dateline.posts.models import Label, Post, Source
from dateline.posts.paths import label_path
from dateline.posts.prepared import ID, NOW, PreparedQuery, prepare, prepared
from dateline.site_settings.current import current

_LIMIT = " LIMIT %s OFFSET %s"
FEED_PATH = "/feeds/posts/default"
# Every stored field of the post's Source, so source.link_url and source.display_name
# (whatever fields they come to read) work on a Source built from the row.
_SOURCE_FIELDS = tuple(field.attname for field in Source._meta.concrete_fields)
_SOURCE_COLUMNS = tuple(f"source__{name}" for name in _SOURCE_FIELDS)
_COLUMNS = ("pk", "title", "body_html", "path", "published_at", "updated_at", "created_at",
            "lead_image", "lead_image_caption", *_SOURCE_COLUMNS, "author_id",
            *AUTHOR_COLUMNS)  # fmt: skip


class FeedReader(Protocol):
    """A feed: read() runs its queries (or raises Http404) and gives its values."""

    def read(self, request: HttpRequest, query: FeedQuery, *args, **kwargs) -> FeedContent: ...


def atom_or_rss(feed_class: type[FeedReader], fixed_alt: str = "") -> Callable[..., HttpResponse]:
    """A view serving the feed at Blogger's paths in Blogger's formats (`alt`: Atom, RSS,
    GData JSON, JSON Feed), `default` with full content and `summary` with summaries;
    `fixed_alt` for an address that names its format (`/feed.json`)."""
    feed = feed_class()

    def view(request: HttpRequest, *args, projection: str = "default", **kwargs) -> HttpResponse:
        query = read_query(request, fixed_alt)
        content = read_feed(lambda asked: feed.read(request, asked, *args, **kwargs), query)
        return respond(request, content, query, summary=projection == "summary")

    return view


@prepared
def _posts_query(using: str, vendor: str, labels: int) -> PreparedQuery:
    """selectors.listing() (narrowed to posts carrying each of `labels` labels) as the
    columns a feed shows, newest first."""
    narrowing = selectors.label_markers(labels)
    posts = selectors.with_all_labels(Post.objects.using(using).published(NOW), narrowing.values())
    markers: dict = {"now": NOW, **narrowing}
    return prepare(posts.order_by("-published_at", "-id").values_list(*_COLUMNS), **markers)


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


def _held_rows(labels: Sequence[Label], count: int) -> tuple[list[tuple], dict[int, list[str]]]:
    """_post_content's rows and label names from the posts a build read once: the same
    posts, the listing's ids being the database's (posts.preload)."""
    posts = selectors.PostList(labels=labels)[:count]
    rows = [(post.pk, post.title, post.body_html, post.path, post.published_at,
             post.updated_at, post.created_at, post.lead_image.name, post.lead_image_caption,
             post.source, display_name(post.author))
            for post in posts]  # fmt: skip
    return rows, {post.pk: [label.name for label in post.label_list] for post in posts}


def _source_of(values: tuple) -> Source | None:
    """The Source a row's source columns hold (None: the post has none)."""
    fields = dict(zip(_SOURCE_FIELDS, values, strict=True))
    return None if fields["id"] is None else Source(**fields)


def _filtered(labels: Sequence[Label], query: FeedQuery) -> QuerySet:
    """The feed's posts for a query the prepared one does not answer (an order, a bound)."""
    posts = selectors.with_all_labels(Post.objects.published(), labels)
    bounds = {
        "published_at__gte": query.published_min,
        "published_at__lt": query.published_max,
        "updated_at__gte": query.updated_min,
        "updated_at__lt": query.updated_max,
    }
    posts = posts.filter(**{name: when for name, when in bounds.items() if when is not None})
    order = "-updated_at" if query.orderby == "updated" else "-published_at"
    return posts.order_by(order, "-id")


def _post_rows(labels: Sequence[Label], query: FeedQuery) -> list[tuple]:
    """One page and one row more (is there a next page?), as _post_content reads them."""
    wanted = (query.max_results + 1, query.offset)
    if query.plain:
        markers = {f"label{n}": label.pk for n, label in enumerate(labels)}
        return _posts_query(len(labels)).rows(_LIMIT, wanted, now=timezone.now(), **markers)
    found = _filtered(labels, query).values_list(*_COLUMNS)
    return list(found[query.offset : query.offset + query.max_results + 1])


def _post_content(
    channel: Channel, labels: Sequence[Label] = (), query: FeedQuery | None = None
) -> FeedContent:
    """A page of the published posts carrying every one of `labels`, newest first."""
    query = query or default_query()
    if preload.current() is not None and query.first_page:
        rows, names = _held_rows(labels, query.max_results + 1)
    else:
        found = _post_rows(labels, query)
        # The author's byline from its columns (never the login name); None: no author.
        width = 9 + len(_SOURCE_FIELDS)
        rows = [(*row[:9], _source_of(row[9:width]),
                 None if row[width] is None else byline(*row[width + 1 :]))
                for row in found]  # fmt: skip
        names = _label_names([row[0] for row in rows])
    more = len(rows) > query.max_results
    entries = [_entry(*row, names[row[0]]) for row in rows[: query.max_results]]

    def total() -> int:
        if query.plain:
            return selectors.PostList(labels=labels).count()
        return _filtered(labels, query).count()

    return FeedContent(channel, entries, more, total=total)


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

    def read(self, request: HttpRequest, query: FeedQuery) -> FeedContent:
        return _post_content(_channel(current().title, "/", FEED_PATH), (), query)


class LabelFeed:
    """/feeds/posts/default/-/Iran (or Iran+Iraq): the newest posts carrying the labels;
    an unknown label is a 404. A combined feed is its own feed: its own id (the feed's
    address, labels as found) and its own page (the combined label page)."""

    def read(self, request: HttpRequest, query: FeedQuery, expression: str) -> FeedContent:
        labels = selectors.labels_for_expression(expression)
        names = " + ".join(label.name for label in labels)
        joined = "+".join(quote(label.name, safe="") for label in labels)
        page = label_path(labels[0].name) if len(labels) == 1 else f"/search/label/{joined}"
        channel = _channel(f"{current().title}: {names}", page, f"{FEED_PATH}/-/{joined}")
        return _post_content(channel, labels, query)


class PostEntryFeed:
    """/feeds/posts/default/ID: one published post, as Blogger serves an entry by its id
    (other ids, drafts and pages included, are a 404)."""

    def read(self, request: HttpRequest, query: FeedQuery, post_id: int) -> FeedContent:
        found = list(Post.objects.published().filter(pk=post_id).values_list(*_COLUMNS)[:1])
        if not found:
            raise Http404("No such post.")
        row = found[0]
        width = 9 + len(_SOURCE_FIELDS)
        author = None if row[width] is None else byline(*row[width + 1 :])
        entry = _entry(*row[:9], _source_of(row[9:width]), author, _label_names([post_id])[post_id])
        channel = _channel(current().title, "/", f"{FEED_PATH}/{post_id}")
        return FeedContent(channel, [entry], single=True)
