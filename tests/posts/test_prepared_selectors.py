"""The public pages read through SQL compiled once per process; these hold it to the ORM's
answers (the visibility rule, archive bounds, label intersections, neighbour ties)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dateline.posts import preload, selectors
from dateline.posts.models import Label, Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_blog(make_post):
    """Posts, a draft, a scheduled post and a static page, some sharing a publish time."""
    same = timezone.now() - timedelta(days=3)
    posts = [make_post(labels=("Malta", "Italy")[: n % 3], published_at=same if n in (2, 3, 4)
                       else timezone.now() - timedelta(days=n)) for n in range(1, 9)]  # fmt: skip
    make_post(title="Draft", status=Post.Status.DRAFT, labels=("Malta",))
    make_post(title="Later", published_at=timezone.now() + timedelta(days=1), labels=("Malta",))
    make_post(title="About", kind=Post.Kind.PAGE, labels=("Malta",))
    return posts


def test_listing_pages_match_the_orm_listing(mixed_blog):
    expected = list(selectors.listing())
    found = selectors.PostList()
    assert found.count() == len(expected)
    assert [post.pk for post in found[0:100]] == [post.pk for post in expected]
    assert [post.pk for post in found[2:5]] == [post.pk for post in expected[2:5]]
    for got, want in zip(found[0:100], expected, strict=True):
        assert got.approved_comment_count == want.approved_comment_count
        assert got.source == want.source
        assert got.label_list == list(want.labels.all())


@pytest.mark.parametrize("recent", [0, 2, 5, 2000])
def test_label_pages_match_the_orm(mixed_blog, monkeypatch, recent):
    """Whether a page lies among the newest `recent` posts (read there) or not (read
    among all), it holds the ORM's posts."""
    monkeypatch.setattr(selectors, "RECENT_POSTS", recent)
    for names in (["Malta"], ["Italy"], ["Malta", "Italy"]):
        labels = [Label.objects.get(name=name) for name in names]
        expected = list(selectors.posts_with_all_labels(labels))
        found = selectors.PostList("labels", labels)
        assert found.count() == len(expected)
        for window in (slice(0, 100), slice(1, 3), slice(2, 100), slice(0, 1), slice(3, 5)):
            posts = found[window]
            assert [post.pk for post in posts] == [post.pk for post in expected[window]]
            for got, want in zip(posts, expected[window], strict=True):
                assert got.approved_comment_count == want.approved_comment_count
                assert got.label_list == list(want.labels.all())


def test_sqlite_label_pages_read_indexes_not_post_rows(mixed_blog):
    """A label page's ids come from the links' (label, post) index and the posts'
    visibility-by-id index alone: reading each labelled post's row to sort them cost
    more than the rest of the page on a big blog."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite is told which index to use; PostgreSQL's planner chooses")
    malta = [Label.objects.get(name="Malta")]
    with CaptureQueriesContext(connection) as queries:
        assert selectors.PostList("labels", malta)[0:11]  # more than there are: both reads
    recent, every = [q["sql"] for q in queries.captured_queries if 'AS "pk"' in q["sql"]]
    plans = []
    for sql in (recent, every):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plans.append(" | ".join(row[3] for row in cursor.fetchall()))
    # The newest posts in listing order off the time index, each post's link looked up:
    assert f"SEARCH posts_post USING COVERING INDEX {selectors.BY_TIME}" in plans[0], plans
    assert "posts_post_labels_post_id_label_id" in plans[0], plans
    # All of a label's posts through its links, each post's visibility off the index:
    assert "COVERING INDEX posts_post_visible_by_id" in plans[1], plans
    assert "COVERING INDEX posts_post_labels_label_post" in plans[1], plans


def _sqlite_steps(read) -> int:
    """How many virtual machine steps SQLite takes for `read`: its work, not its time."""
    steps = 0

    def step() -> int:
        nonlocal steps
        steps += 1
        return 0

    connection.ensure_connection()
    connection.connection.set_progress_handler(step, 1)
    try:
        read()
    finally:
        connection.connection.set_progress_handler(None, 1)
    return steps


def test_sqlite_finds_an_old_months_ids_without_walking_the_newer_posts(make_post):
    """A month's ids are read off the time index from the month's end, not from now: from
    now, SQLite walked every newer post to reach an old month (a tenth of a big build)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's choice of bound; PostgreSQL's planner bounds both ends")
    june = datetime(2020, 6, 10, tzinfo=UTC)
    wanted = [make_post(published_at=june + timedelta(days=n)).pk for n in range(3)]
    held = preload.read()  # as in a build: the ids from the database, the posts from here

    def read_june() -> None:
        with timezone.override(UTC), preload.holding(held):
            assert [post.pk for post in selectors.posts_in_period(2020, 6)[0:11]] == wanted[::-1]

    alone = _sqlite_steps(read_june)
    later = june + timedelta(days=40)
    Post.objects.bulk_create(
        Post(title=f"Later {n}", slug=f"later-{n}", path=f"/2021/later-{n}.html",
             status=Post.Status.PUBLISHED, published_at=later + timedelta(hours=n))
        for n in range(500)
    )  # fmt: skip
    assert _sqlite_steps(read_june) < alone + 500  # not a step or more per newer post


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland", "America/Los_Angeles"])
def test_archive_bounds_are_the_orm_year_and_month_in_the_site_time_zone(make_post, zone):
    for moment in ("2023-12-31T23:30", "2024-01-01T00:30", "2024-01-31T23:59", "2024-02-01T00:00",
                   "2024-12-31T12:00", "2025-01-01T11:00"):  # fmt: skip
        make_post(published_at=datetime.fromisoformat(moment).replace(tzinfo=UTC))
    with timezone.override(ZoneInfo(zone)):
        for year, month in ((2024, None), (2024, 1), (2024, 2), (2024, 12), (2025, None)):
            expected = selectors.listing().filter(published_at__year=year)
            if month:
                expected = expected.filter(published_at__month=month)
            found = selectors.posts_in_period(year, month)
            assert [p.pk for p in found[0:100]] == [p.pk for p in expected], (year, month)


def test_neighbours_match_the_orm_even_for_posts_published_at_the_same_moment(mixed_blog):
    ordered = list(Post.objects.published().order_by("published_at", "id"))
    for n, post in enumerate(ordered):
        newer, older = selectors.neighbours(post)
        assert newer == (ordered[n + 1] if n + 1 < len(ordered) else None)
        assert older == (ordered[n - 1] if n else None)


def test_visible_post_at_follows_the_visibility_rule(mixed_blog):
    for post in Post.objects.all():
        found = selectors.visible_post_at(post.path) if post.path else None
        if post.path:
            assert (found is not None) == Post.objects.visible().filter(pk=post.pk).exists()
        if found is not None:
            assert found.label_list == list(post.labels.all())
    assert selectors.visible_post_at("/no/such.html") is None


def test_with_labels_handles_any_number_of_posts(make_post):
    posts = [make_post(labels=("B", "A")) for _ in range(5)]
    selectors.with_labels(posts)
    assert [[label.name for label in post.label_list] for post in posts] == [["A", "B"]] * 5
    assert selectors.with_labels([]) == []


@pytest.mark.parametrize("total", [0, 1, 9, 10, 11, 20])
def test_listing_pages_know_their_neighbours_without_counting(client, make_post, settings, total):
    settings.DATELINE_PAGE_SIZE = 10
    for _ in range(total):
        make_post()
    last = max(1, -(-total // 10))
    for number in range(1, last + 1):
        page = selectors.paginate(selectors.PostList(), str(number), 10)
        assert page.has_previous() == (number > 1)
        assert page.has_next() == (number < last)
        assert len(page) == min(10, total - (number - 1) * 10)
    for bad in (str(last + 1), "0", "-1", "2.0", "x"):
        assert client.get(f"/?page={bad}").status_code == 404


@pytest.mark.parametrize("deep", [0, 2, 1000])
def test_deep_pages_find_their_ids_first_and_read_the_same_posts(mixed_blog, monkeypatch, deep):
    monkeypatch.setattr(selectors, "DEEP_OFFSET", deep)
    expected = list(selectors.listing())
    for start, stop in ((0, 3), (2, 5), (3, 100), (7, 9), (50, 60)):
        found = selectors.PostList()[start:stop]
        assert [post.pk for post in found] == [post.pk for post in expected[start:stop]]
        for got, want in zip(found, expected[start:stop], strict=True):
            assert got.approved_comment_count == want.approved_comment_count
            assert got.label_list == list(want.labels.all())
    malta = [Label.objects.get(name="Malta")]
    expected = [post.pk for post in selectors.posts_with_all_labels(malta)]
    assert [post.pk for post in selectors.PostList("labels", malta)[1:50]] == expected[1:50]


def test_prepared_reads_were_checked_against_this_django():
    """posts.prepared reads Django's private compiler internals: a new Django release
    must be read against them (and CHECKED_DJANGO moved) before the suite passes."""
    import django

    from dateline.posts.prepared import CHECKED_DJANGO

    assert django.VERSION[:2] == CHECKED_DJANGO
