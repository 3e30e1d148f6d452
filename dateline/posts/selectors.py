"""Page reads: every public page gets its posts here, in a constant number of queries."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404

from dateline.posts.labels import label_key, split_label_expression
from dateline.posts.models import Label, Post


def paginate(posts: QuerySet, page_number: str | None, page_size: int) -> Page:
    """One page of posts; a page number that is not a page is a 404, not a 500."""
    try:
        number = int(page_number or 1)
        return Paginator(posts, page_size, allow_empty_first_page=True).page(number)
    except (ValueError, EmptyPage):
        raise Http404("No such page.") from None


def listing() -> QuerySet:
    return Post.objects.published().for_listing()


def posts_before(updated_max: datetime, max_results: int) -> list[Post]:
    """Blogger's `/search?updated-max=…&max-results=N`: the N posts published before a time."""
    return list(listing().filter(published_at__lt=updated_max)[:max_results])


def labels_for_expression(expression: str) -> list[Label]:
    """Resolve `Iran` or `Iran+Iraq` to labels, ignoring case; unknown names are a 404.

    A label whose own name contains "+" wins over the A+B reading.
    """
    whole = Label.objects.filter(key=label_key(expression)).first()
    if whole is not None:
        return [whole]
    names = split_label_expression(expression)
    by_key = {label.key: label for label in Label.objects.filter(key__in=map(label_key, names))}
    keys = list(dict.fromkeys(label_key(name) for name in names))
    if not keys or any(key not in by_key for key in keys):
        raise Http404("No such label.")
    return [by_key[key] for key in keys]


def posts_with_all_labels(labels: list[Label]) -> QuerySet:
    posts = listing()
    for label in labels:
        posts = posts.filter(labels=label)
    return posts


def posts_in_period(year: int, month: int | None = None) -> QuerySet:
    posts = listing().filter(published_at__year=year)
    if month is not None:
        posts = posts.filter(published_at__month=month)
    return posts


def neighbours(post: Post) -> tuple[Post | None, Post | None]:
    """The newer and the older published post, for the links under a post."""
    if post.kind != Post.Kind.POST or not post.is_visible:
        return None, None
    visible = Post.objects.published().only("title", "path", "published_at")
    newer = (
        visible.filter(Q(published_at__gt=post.published_at)
                       | Q(published_at=post.published_at, id__gt=post.id))
        .order_by("published_at", "id").first()
    )  # fmt: skip
    older = (
        visible.filter(Q(published_at__lt=post.published_at)
                       | Q(published_at=post.published_at, id__lt=post.id))
        .order_by("-published_at", "-id").first()
    )  # fmt: skip
    return newer, older


def visible_post_at(path: str) -> Post | None:
    """The post or page at a path, if readers may see it."""
    return (
        Post.objects.visible()
        .select_related("source")
        .prefetch_related("labels")
        .filter(path=path)
        .first()
    )


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
    """Blogger's archive widget: posts per year and per month, newest first, one query."""
    rows = (
        Post.objects.published()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(count=Count("id"))
        .order_by("-month")
    )
    years: dict[int, ArchiveYear] = {}
    for row in rows:
        month = row["month"]
        entry = years.setdefault(month.year, ArchiveYear(year=month.year))
        entry.count += row["count"]
        entry.months.append((month.date() if isinstance(month, datetime) else month, row["count"]))
    return list(years.values())


def search_posts(query: str, limit: int = 100) -> list[Post]:
    """The best `limit` matches for a query, ranked by the search engine in use."""
    from dateline.search import service  # the search app builds on posts, not the reverse

    return [result.post for result in service.search(service.SearchParams(query), limit).results]
