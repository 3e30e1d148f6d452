"""What the desk's home shows: the work waiting for the author, and two small charts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from dateline.comments.models import Comment
from dateline.desk.charts import Bar, Chart
from dateline.posts.models import Post, Source
from dateline.sources.states import NEEDS_ATTENTION

LISTED = 8
MONTHS, WEEKS = 12, 12
# Link-check states that mean the author should look (dateline.sources.states).
SOURCES_NEEDING_ATTENTION = tuple(NEEDS_ATTENTION)


@dataclass(frozen=True)
class Overview:
    drafts: list[Post]
    draft_count: int
    scheduled: list[Post]
    waiting: list[Comment]
    waiting_count: int
    sources: list[Source]
    source_count: int
    posts_per_month: Chart
    comments_per_week: Chart


def overview(now: datetime | None = None) -> Overview:
    now = now or timezone.now()
    drafts = Post.objects.filter(status=Post.Status.DRAFT).order_by("-updated_at")
    scheduled = Post.objects.filter(status=Post.Status.PUBLISHED, published_at__gt=now)
    waiting = Comment.objects.filter(status=Comment.Status.PENDING).select_related("post")
    sources = Source.objects.filter(last_check_result__in=SOURCES_NEEDING_ATTENTION)
    return Overview(
        drafts=list(drafts[:LISTED]),
        draft_count=drafts.count(),
        scheduled=list(scheduled.order_by("published_at")[:LISTED]),
        waiting=list(waiting.order_by("-created_at")[:LISTED]),
        waiting_count=waiting.count(),
        sources=list(sources.order_by("-last_checked_at")[:LISTED]),
        source_count=sources.count(),
        posts_per_month=posts_per_month(now),
        comments_per_week=comments_per_week(now),
    )


def _month_starts(today: date, count: int) -> list[date]:
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def posts_per_month(now: datetime) -> Chart:
    """Published posts (not pages) in each of the last twelve months, in the blog's zone."""
    zone = timezone.get_current_timezone()
    months = _month_starts(timezone.localtime(now, zone).date(), MONTHS)
    since = datetime(months[0].year, months[0].month, 1, tzinfo=zone)
    rows = (
        Post.objects.filter(kind=Post.Kind.POST, status=Post.Status.PUBLISHED)
        .filter(published_at__gte=since, published_at__lte=now)
        .annotate(month=TruncMonth("published_at", tzinfo=zone))
        .values("month")
        .annotate(count=Count("id"))
    )
    counts = {_as_date(row["month"]): row["count"] for row in rows}
    bars = tuple(
        Bar(label=month.strftime("%b")[:1], value=counts.get(month, 0),
            title=month.strftime("%B %Y"))
        for month in months
    )  # fmt: skip
    return Chart(caption="Posts published per month", bars=bars)


def comments_per_week(now: datetime) -> Chart:
    """Comments received (any status) in each of the last twelve weeks, weeks from Monday."""
    zone = timezone.get_current_timezone()
    today = timezone.localtime(now, zone).date()
    monday = today - timedelta(days=today.weekday())
    weeks = [monday - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]
    since = datetime(weeks[0].year, weeks[0].month, weeks[0].day, tzinfo=zone)
    rows = (
        Comment.objects.filter(created_at__gte=since, created_at__lte=now)
        .annotate(week=TruncWeek("created_at", tzinfo=zone))
        .values("week")
        .annotate(count=Count("id"))
    )
    counts = {_as_date(row["week"]): row["count"] for row in rows}
    bars = tuple(
        Bar(label=str(week.day), value=counts.get(week, 0),
            title=f"Week of {week.day} {week.strftime('%B %Y')}")
        for week in weeks
    )  # fmt: skip
    return Chart(caption="Comments received per week", bars=bars)


def _as_date(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value
