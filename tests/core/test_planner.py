"""SQLite's planner statistics are gathered when missing, and again when the blog has
outgrown (or shrunk far below) the size they were gathered at."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from dateline.core.planner import STATISTICS_FROM, refresh_statistics_if_stale
from dateline.posts.models import Post

pytestmark = pytest.mark.django_db


def add_posts(count: int, first: int = 0) -> None:
    start = datetime(2020, 1, 1, tzinfo=UTC)
    Post.objects.bulk_create([
        Post(title=f"Tide table {n}", slug=f"tide-{n}", path=f"/2020/01/tide-{n}.html",
             status=Post.Status.PUBLISHED, published_at=start + timedelta(hours=n))
        for n in range(first, first + count)
    ])  # fmt: skip


def analysed_posts() -> int | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return None
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'posts_post' LIMIT 1")
        found = cursor.fetchone()
    return int(found[0].split()[0]) if found else None


@pytest.fixture
def no_statistics():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's autovacuum keeps its own statistics")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute("DELETE FROM sqlite_stat1")


def test_statistics_follow_the_blogs_size(no_statistics):
    add_posts(STATISTICS_FROM - 1)
    assert not refresh_statistics_if_stale(Post)  # a small blog: not worth it
    assert analysed_posts() is None
    add_posts(1, first=STATISTICS_FROM)
    assert refresh_statistics_if_stale(Post)
    assert analysed_posts() == STATISTICS_FROM
    assert not refresh_statistics_if_stale(Post)  # fresh: nothing to do
    add_posts(STATISTICS_FROM, first=10_000)  # twice the size: still close enough
    assert not refresh_statistics_if_stale(Post)
    add_posts(1, first=20_000)  # more than twice
    assert refresh_statistics_if_stale(Post)
    assert analysed_posts() == 2 * STATISTICS_FROM + 1
    add_posts(1500, first=30_000)
    assert refresh_statistics_if_stale(Post)
    assert analysed_posts() == 2 * STATISTICS_FROM + 1501
    Post.objects.filter(published_at__year=2023).delete()  # fewer than half remain
    assert Post.objects.count() < analysed_posts() / 2
    assert refresh_statistics_if_stale(Post)
