"""Page reads: every public page gets its posts here, in a constant number of queries."""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.core.paginator import EmptyPage, Page, Paginator
from django.db import connections
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Substr, TruncMonth
from django.http import Http404
from django.utils import timezone

from dateline.core.errors import ReaderError
from dateline.core.urlvalues import page_number as page_number_from
from dateline.posts import preload
from dateline.posts.labels import label_key, split_label_expression
from dateline.posts.models import Label, Post
from dateline.posts.prepared import END, ID, NOW, START, TEXT, PreparedQuery, prepare, prepared
from dateline.posts.rawrows import local_times, raw_rows


def paginate(
    posts: "QuerySet | PostList", page_number: str | None, page_size: int
) -> "Page | ListingPage":
    """One page of posts; a page number that is not a page is a 404, not a 500."""
    number = page_number_from(page_number)
    if isinstance(posts, PostList):
        return _listing_page(posts, number, page_size)
    try:
        return Paginator(posts, page_size, allow_empty_first_page=True).page(number)
    except EmptyPage:
        raise Http404("No such page.") from None


@dataclass
class ListingPage:
    """A page of a listing as the pager needs it: whether newer and older pages exist."""

    number: int
    object_list: list
    more: bool

    def has_next(self) -> bool:
        return self.more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.more or self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def __len__(self) -> int:
        return len(self.object_list)


def _listing_page(posts: "PostList", number: int, page_size: int) -> ListingPage:
    """Like paginate(), without counting the listing: one row past the page says whether
    there is an older page (counting 10,000 posts cost more than reading a page)."""
    start = (number - 1) * page_size
    found = posts[start : start + page_size + 1]
    if not found and number > 1:
        raise Http404("No such page.")
    return ListingPage(number, found[:page_size], len(found) > page_size)


def listing() -> QuerySet:
    return Post.objects.published().for_listing()


def _published(using: str, now: datetime) -> QuerySet:
    return Post.objects.using(using).published(now)


_LIMIT = " LIMIT %s OFFSET %s"


def with_all_labels(posts: QuerySet, labels: Iterable[object]) -> QuerySet:
    """`posts` narrowed to those carrying every one of `labels` (Label rows, ids, or a
    prepared query's ID markers): one join per label, the one shape that label pages,
    label feeds and their prepared queries all use, so each reads the same posts."""
    for label in labels:
        posts = posts.filter(labels=label)
    return posts


def label_markers(count: int) -> dict[str, object]:
    """The ID markers a prepared query narrowed to `count` labels takes (label0, …)."""
    return {f"label{n}": ID(n) for n in range(count)}


def _narrowed(
    using: str, shape: str, labels: int, bounds_first: bool = False
) -> tuple[QuerySet, dict]:
    """Published posts narrowed by shape: "all", "labels" (each of `labels` labels),
    "period" (START <= published < END) or "before" (published < END); and the markers.

    With `bounds_first`, the period's bounds come before the visibility rule's
    `published_at <= now`: SQLite bounds its walk of the time index by the first upper
    bound it is given, and an ids-only read from `now` walked every newer post to reach an
    old month (a tenth of a big build). A read of whole rows is planned better as it was."""
    narrowing = label_markers(labels)
    markers: dict = {"now": NOW, **narrowing}
    bounds: dict = {}
    if shape == "period":
        bounds = {"published_at__gte": START, "published_at__lt": END}
        markers.update(start=START, end=END)
    elif shape == "before":
        bounds = {"published_at__lt": END}
        markers["end"] = END
    if bounds_first:
        posts = Post.objects.using(using).filter(**bounds).published(NOW)
    else:
        posts = _published(using, NOW).filter(**bounds)
    return with_all_labels(posts, narrowing.values()), markers


@prepared
def _listing_query(
    using: str, vendor: str, shape: str, labels: int, counting: bool
) -> PreparedQuery:
    """listing() narrowed by shape (see _narrowed), or the count of it."""
    posts, markers = _narrowed(using, shape, labels)
    if counting:
        return prepare(posts.order_by().values("pk"), **markers)
    return prepare(posts.for_listing().prefetch_related(None), **markers)


# Indexes (Post.Meta) a label page's ids are read on. SQLite, left to itself, reads each
# labelled post's row by its id (reaching `published_at` behind the body costs more than
# the rest of the query) and drives even a bounded read from the label's links: each
# query names its index.
VISIBLE_BY_ID = "posts_post_visible_by_id"
BY_TIME = next(index.name for index in Post._meta.indexes if index.fields[0] == "kind")
_FROM_POSTS = f'FROM "{Post._meta.db_table}" INNER JOIN'


def _indexed_by(query: PreparedQuery, vendor: str, index: str) -> PreparedQuery:
    """`query` with SQLite told to read the posts (its outer FROM) through `index`."""
    if vendor != "sqlite":
        return query
    if query.sql.count(_FROM_POSTS) != 1:
        raise ValueError(f"expected one {_FROM_POSTS!r} in {query.sql!r}")
    named = _FROM_POSTS.replace(" INNER JOIN", f' INDEXED BY "{index}" INNER JOIN')
    return replace(query, sql=query.sql.replace(_FROM_POSTS, named))


@prepared
def _listing_ids_query(using: str, vendor: str, shape: str, labels: int) -> PreparedQuery:
    """The ids only, in listing order: skipping rows costs little on the index alone."""
    posts, markers = _narrowed(using, shape, labels, bounds_first=True)
    query = prepare(posts.order_by("-published_at", "-id").values_list("pk"), **markers)
    return _indexed_by(query, vendor, VISIBLE_BY_ID) if labels else query


# How many of the newest posts a label page looks among first (see _recent_ids_query).
RECENT_POSTS = 2_000


@prepared
def _recent_ids_query(using: str, vendor: str, shape: str, labels: int) -> PreparedQuery | None:
    """_listing_ids_query among the newest RECENT_POSTS posts only (those published no
    earlier than the one that many in): the start of the same listing, read in listing
    order off the posts' time index with each post's links looked up, so a label's first
    pages cost the same on any blog. Empty on a blog with fewer posts.

    SQLite only: PostgreSQL's planner makes this choice itself from its statistics (it
    walks the time index for a common label and stops at the page), and bounding its walk
    cost more than the walk."""
    if vendor != "sqlite":
        return None
    posts, markers = _narrowed(using, shape, labels)
    newest = _published(using, NOW).order_by("-published_at", "-id").values("published_at")
    posts = posts.filter(published_at__gte=Subquery(newest[RECENT_POSTS : RECENT_POSTS + 1]))
    query = prepare(posts.order_by("-published_at", "-id").values_list("pk"), **markers)
    return _indexed_by(query, vendor, BY_TIME)


@prepared
def _listing_rows_query(using: str, vendor: str, size: int) -> PreparedQuery:
    ids = {f"post{n}": ID(n) for n in range(size)}
    posts = _published(using, NOW).filter(pk__in=list(ids.values()))
    return prepare(posts.for_listing().prefetch_related(None), now=NOW, **ids)


# From this many rows in, a page finds its ids on the index first: SQLite computes every
# column (the comment count too) of each row it skips, so a deep page's cost grew with
# its number in one query and does not with two.
DEEP_OFFSET = 100
# Shapes whose posts are not read in listing order off an index: a label's posts are
# found through the label's links and sorted, every column of every one of them in one
# query, so these find their ids first on every page: among the newest posts when the
# page lies there, else among all.
SORTED_SHAPES = frozenset({"labels"})


_LABEL_FIELDS = tuple(f.attname for f in Label._meta.concrete_fields)


@prepared
def _labels_query(using: str, vendor: str, size: int) -> PreparedQuery:
    """(post id, label columns...) for up to `size` posts, labels by name."""
    links = (
        Post.labels.through.objects.using(using)
        .filter(post_id__in=[ID(n) for n in range(size)])
        .order_by("label__name", "label_id")
        .values_list("post_id", *(f"label__{name}" for name in _LABEL_FIELDS))
    )
    return prepare(links, **{f"post{n}": ID(n) for n in range(size)})


def with_labels(posts: Sequence[Post]) -> Sequence[Post]:
    """Give each post `label_list` (its labels by name) in one query, as a prefetch would,
    without building a queryset and a related manager per post, or a link row per label."""
    held = preload.current()
    if held is not None and all(post.pk in held.by_id for post in posts):
        for post in posts:
            post.label_list = held.by_id[post.pk].label_list
        return posts
    by_id = {}
    for post in posts:
        post.label_list = []
        by_id[post.pk] = post
    if not by_id:
        return posts
    ids = list(by_id)
    size = 1 << (len(ids) - 1).bit_length()  # a few SQL shapes, not one per page length
    ids += [ids[0]] * (size - len(ids))
    query = _labels_query(size)
    labels: dict[int, Label] = {}
    for post_id, *columns in query.rows(**{f"post{n}": pk for n, pk in enumerate(ids)}):
        label = labels.get(columns[0])
        if label is None:
            label = labels[columns[0]] = Label.from_db(query.alias, _LABEL_FIELDS, columns)
        by_id[post_id].label_list.append(label)
    return posts


class PostList:
    """listing(), narrowed, read through SQL compiled once per process: count() and
    bounded slices (`posts[10:21]`), each slice's posts with their `label_list`."""

    def __init__(self, shape: str = "all", labels: Sequence[Label] = (), **bounds: datetime):
        self.shape, self.bounds = shape, bounds
        self.markers = {f"label{n}": label.pk for n, label in enumerate(labels)}
        self.label_count = len(labels)

    def _values(self) -> dict:
        return {"now": timezone.now(), **self.markers, **self.bounds}

    def count(self) -> int:
        return _listing_query(self.shape, self.label_count, True).count(**self._values())

    def __getitem__(self, window: slice) -> list[Post]:
        start, stop = window.start or 0, window.stop
        values = self._values()
        held = preload.current()
        if held is None and start < DEEP_OFFSET and self.shape not in SORTED_SHAPES:
            query = _listing_query(self.shape, self.label_count, False)
            return list(with_labels(query.objects(_LIMIT, (stop - start, start), **values)))
        window = (stop - start, start)
        ids = []
        recent = None
        if held is None and self.shape in SORTED_SHAPES:
            recent = _recent_ids_query(self.shape, self.label_count)
        if recent is not None:
            ids = [row[0] for row in recent.rows(_LIMIT, window, **values)]
        if len(ids) < stop - start:  # the page reaches past the newest posts, or the end
            ids_query = _listing_ids_query(self.shape, self.label_count)
            ids = [row[0] for row in ids_query.rows(_LIMIT, window, **values)]
        if held is not None and all(pk in held.by_id for pk in ids):
            return [held.by_id[pk] for pk in ids]  # a build: the ids here, the posts read once
        return posts_with_ids(ids, values["now"])


def posts_with_ids(ids: Sequence[int], now: datetime | None = None) -> list[Post]:
    """The published posts among `ids`, newest first, as listing() reads them, each with
    its `label_list`: one query compiled once per process (for a few list lengths) and
    one for the labels, where a queryset with its label prefetch costs more than the
    search that found the ids."""
    if not ids:
        return []
    ids = list(ids)
    size = 1 << (len(ids) - 1).bit_length()
    padded = ids + [ids[0]] * (size - len(ids))
    markers = {f"post{n}": pk for n, pk in enumerate(padded)}
    posts = _listing_rows_query(size).objects(now=now or timezone.now(), **markers)
    return list(with_labels(posts))


def posts_before(updated_max: datetime, max_results: int) -> list[Post]:
    """Blogger's `/search?updated-max=…&max-results=N`: the N posts published before a time."""
    return PostList("before", end=updated_max)[:max_results]


# Each label of an expression is one more join: SQLite refuses a query of 64 tables, and
# no reader combines more than a few labels.
MAX_LABELS_IN_EXPRESSION = 10


class TooManyLabels(ReaderError):
    """A label expression past MAX_LABELS_IN_EXPRESSION: refused, and the reader told why."""


@prepared
def _labels_by_key_query(using: str, vendor: str, size: int) -> PreparedQuery:
    """Labels by key that some published post carries: a label only drafts, scheduled
    posts or pages carry is not there for readers (its name may be news)."""
    keys = [f"{TEXT}{n}" for n in range(size)]
    carried = _published(using, NOW).filter(labels=OuterRef("pk"))
    labels = Label.objects.using(using).filter(Exists(carried), key__in=keys).order_by()
    return prepare(labels, now=NOW, **{f"key{n}": key for n, key in enumerate(keys)})


def _labels_by_key(keys: list[str]) -> dict[str, Label]:
    """Public labels by key (see _labels_by_key_query), in one query compiled for a few
    list lengths (see with_labels)."""
    held = preload.current()
    if held is not None and all(key in held.labels_by_key for key in keys):
        return {key: held.labels_by_key[key] for key in keys}
    size = 1 << (len(keys) - 1).bit_length()
    padded = keys + [keys[0]] * (size - len(keys))
    markers = {f"key{n}": key for n, key in enumerate(padded)}
    found = _labels_by_key_query(size).objects(now=timezone.now(), **markers)
    return {label.key: label for label in found}


def labels_for_expression(expression: str) -> list[Label]:
    """Resolve `Iran` or `Iran+Iraq` to public labels, ignoring case; a name that is not
    one is a 404, more than MAX_LABELS_IN_EXPRESSION names a 400 (TooManyLabels).

    A label whose own name contains "+" wins over the A+B reading.
    """
    whole = _labels_by_key([label_key(expression)])
    if whole:
        return list(whole.values())
    names = split_label_expression(expression)
    keys = list(dict.fromkeys(label_key(name) for name in names))
    if len(keys) > MAX_LABELS_IN_EXPRESSION:
        raise TooManyLabels(
            f"A label page combines at most {MAX_LABELS_IN_EXPRESSION} labels; "
            f"this address names {len(keys)}."
        )
    by_key = _labels_by_key(keys) if keys else {}
    if not keys or any(key not in by_key for key in keys):
        raise Http404("No such label.")
    return [by_key[key] for key in keys]


def posts_with_all_labels(labels: list[Label]) -> QuerySet:
    return with_all_labels(listing(), labels)


def posts_in_period(year: int, month: int | None = None) -> PostList:
    """A year or a month in the site's time zone, as `published_at__year`/`__month` mean."""
    zone = timezone.get_current_timezone()
    start = datetime(year, month or 1, 1, tzinfo=zone)
    if month is None or month == 12:
        end = datetime(year + 1, 1, 1, tzinfo=zone)
    else:
        end = datetime(year, month + 1, 1, tzinfo=zone)
    return PostList("period", start=start, end=end)


@prepared
def _neighbours_query(using: str, vendor: str) -> PreparedQuery:
    """The next post after and the one before a post at START with id ID(), in one query.

    Each side is a subquery for one id that bounds published_at on the side it reads, so
    SQLite walks the index from the post instead of from now (the older side scanned every
    newer post); the outer query reads the two rows by id. One query instead of two also
    saves a round trip on PostgreSQL.
    """
    newer = _published(using, NOW).filter(
        Q(published_at__gt=START) | Q(published_at=START, id__gt=ID()),
        published_at__gte=START,
    )
    # Visible and older than a visible post means published at or before it: START stands
    # in for "now" (neighbours() only asks for visible posts).
    older = _published(using, START).filter(
        Q(published_at__lt=START) | Q(published_at=START, id__lt=ID())
    )
    newest_first = ("-published_at", "-id")
    # `pk = (one id)` on each side, not `pk IN (…)`: PostgreSQL hashed each IN list and
    # scanned every post to test each one against them.
    posts = Post.objects.using(using).filter(
        Q(pk=Subquery(newer.order_by("published_at", "id").values("pk")[:1]))
        | Q(pk=Subquery(older.order_by(*newest_first).values("pk")[:1]))
    )
    posts = posts.order_by().only("title", "path", "published_at")
    return prepare(posts, at=START, id=ID(), now=NOW)


def neighbours(post: Post) -> tuple[Post | None, Post | None]:
    """The newer and the older published post, for the links under a post."""
    if post.kind != Post.Kind.POST or not post.is_visible:
        return None, None
    held = preload.current()
    if held is not None and post.pk in held.position:
        found = held.neighbours(post)
        if found is not None:
            return found
    newer = older = None
    here = (post.published_at, post.pk)
    found = _neighbours_query().objects(now=timezone.now(), at=post.published_at, id=post.pk)
    for neighbour in found:
        if (neighbour.published_at, neighbour.pk) > here:
            newer = neighbour
        else:
            older = neighbour
    return newer, older


@prepared
def _post_at_query(using: str, vendor: str) -> PreparedQuery:
    posts = Post.objects.using(using).visible(NOW).select_related("source", "author__profile")
    posts = posts.filter(path=TEXT)
    posts = posts.order_by()
    return prepare(posts, now=NOW, path=TEXT)


def visible_post_at(path: str) -> Post | None:
    """The post or page at a path, if readers may see it, with its `label_list`."""
    held = preload.current()
    if held is not None and path in held.by_path:
        return held.by_path[path]
    found = _post_at_query().objects(" LIMIT 1", now=timezone.now(), path=path)
    return with_labels(found)[0] if found else None


def labels_of_posts(post_ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    """Each post's labels as (name, aliases), by name: for indexes that read posts as plain
    rows (the search engine's documents, the mirror's client-side index)."""
    rows = (
        Post.labels.through.objects.filter(post_id__in=list(post_ids))
        .order_by("post_id", "label__name", "label_id")
        .values_list("post_id", "label__name", "label__aliases")
    )
    found: dict[int, list[tuple[str, str]]] = {}
    for post_id, name, aliases in rows:
        found.setdefault(post_id, []).append((name, aliases))
    return found


def labels_with_counts() -> list[Label]:
    """What `label_counts()` gives, as a list, in two plain queries: the links of
    published posts counted per label, then those labels (the annotated query counts
    through a join and a filter per link: four times as long on 100,000 posts)."""
    links = Post.labels.through.objects.filter(post__in=Post.objects.published()).order_by()
    counts = dict(
        links.values("label_id").annotate(n=Count("post_id")).values_list("label_id", "n")
    )
    labels = list(Label.objects.filter(pk__in=list(counts)).order_by("name"))
    for label in labels:
        label.post_count = counts[label.pk]
    return labels


def label_counts() -> QuerySet:
    """Labels with how many published posts carry each, for the sidebar."""
    published = Q(posts__in=Post.objects.published())
    return (
        Label.objects.annotate(post_count=Count("posts", filter=published))
        .filter(post_count__gt=0)
        .order_by("name")
    )


@dataclass
class ArchiveYear:
    year: int
    count: int = 0
    months: list[tuple[date, int]] = field(default_factory=list)


def archive_counts() -> list[ArchiveYear]:
    """Blogger's archive widget: posts per year and per month, newest first."""
    published = Post.objects.published().order_by()
    if connections[published.db].vendor == "sqlite":
        months = _month_counts_sqlite(published)
    else:
        months = _month_counts_orm(published)
    years: dict[int, ArchiveYear] = {}
    for month in sorted(months, reverse=True):
        entry = years.setdefault(month.year, ArchiveYear(year=month.year))
        entry.count += months[month]
        entry.months.append((month, months[month]))
    return list(years.values())


def _month_counts_orm(published: QuerySet) -> dict[date, int]:
    """Posts per month of the site's zone, as the ORM counts them (the reference)."""
    rows = published.annotate(month=TruncMonth("published_at")).values("month")
    found: dict[date, int] = {}
    for row in rows.annotate(count=Count("id")):
        month = row["month"]
        found[month.date() if isinstance(month, datetime) else month] = row["count"]
    return found


# Days of the month whose stored (UTC) times may fall in another month in the site's zone:
# zones are at most 26 hours apart. Any other day is all in one month, wherever it is seen.
_EDGE_DAYS = ("01", "02", "27", "28", "29", "30", "31")


def _month_counts_sqlite(published: QuerySet) -> dict[date, int]:
    """SQLite has no time zones: TruncMonth calls Python once per post (most of a
    100,000-post blog's sidebar). Posts are counted per stored day in SQL instead, and
    only a day near a month's end is read post by post and placed in the site's zone."""
    text = Cast("published_at", CharField())
    by_day = published.annotate(day=Substr(text, 1, 10)).values("day").annotate(n=Count("id"))
    local = local_times(published.db)
    found: Counter[date] = Counter()
    near_edge = False
    for day, count in raw_rows(by_day.values_list("day", "n")):
        if day[8:10] in _EDGE_DAYS:
            near_edge = True
            continue
        when = local(f"{day} 12:00:00")
        found[date(when.year, when.month, 1)] += count
    if near_edge:
        edge = published.annotate(dom=Substr(text, 9, 2)).filter(dom__in=_EDGE_DAYS)
        for (value,) in raw_rows(edge.values_list("published_at")):
            when = local(value)
            found[date(when.year, when.month, 1)] += 1
    return dict(found)
