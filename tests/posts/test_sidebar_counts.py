"""The sidebar's counts, read the fast way, say what the ORM's plain queries say.

On SQLite the archive is counted per stored day and only the days near a month's end are
placed post by post in the site's zone: posts either side of month ends, in zones up to 14
hours from UTC and with daylight saving, must land in the months TruncMonth gives.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from dateline.posts import selectors
from dateline.posts.models import Label, Post

ZONES = ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kathmandu", "America/New_York"]
MONTH_ENDS = [datetime(2023, 12, 31, tzinfo=UTC), datetime(2024, 2, 29, tzinfo=UTC),
              datetime(2024, 3, 31, tzinfo=UTC), datetime(2024, 10, 31, tzinfo=UTC)]  # fmt: skip
OFFSETS = [-50, -26, -14, -11, -6, -1, 0, 1, 6, 11, 13, 14, 15, 24, 25, 26, 30, 38, 50]  # hours


@pytest.fixture
def spread_posts(db) -> None:
    """Posts every few hours across several month ends, a page, a draft, a scheduled post."""
    harbours, rail = Label.objects.create(name="Harbours"), Label.objects.create(name="Rail")
    Label.objects.create(name="Unused")
    number = 0
    for end in MONTH_ENDS:
        for hours in OFFSETS:
            number += 1
            post = Post.objects.create(
                title=f"Tide report {number}", body_source="Low at noon.",
                status=Post.Status.PUBLISHED,
                published_at=end + timedelta(hours=hours, minutes=59, seconds=59),
            )  # fmt: skip
            post.labels.add(harbours if number % 3 else rail)
    Post.objects.create(title="About", kind=Post.Kind.PAGE, status=Post.Status.PUBLISHED,
                        published_at=MONTH_ENDS[0], body_source="Us.")  # fmt: skip
    draft = Post.objects.create(title="Draft", body_source="Later.", published_at=MONTH_ENDS[1])
    draft.labels.add(rail)
    Post.objects.create(title="Scheduled", body_source="Soon.", status=Post.Status.PUBLISHED,
                        published_at=timezone.now() + timedelta(days=2))  # fmt: skip


def orm_archive() -> list[tuple[int, int, list]]:
    months = selectors._month_counts_orm(Post.objects.published().order_by())
    years: dict[int, list] = {}
    for month in sorted(months, reverse=True):
        years.setdefault(month.year, []).append((month, months[month]))
    return [(year, sum(n for _, n in found), found) for year, found in years.items()]


@pytest.mark.parametrize("zone", ZONES)
def test_the_archive_counts_are_the_orms_in_any_zone(spread_posts, settings, zone):
    settings.TIME_ZONE = zone
    ours = [(year.year, year.count, year.months) for year in selectors.archive_counts()]
    assert ours == orm_archive()
    assert sum(count for _, count, _ in ours) == len(MONTH_ENDS) * len(OFFSETS)


def test_labels_with_counts_are_what_the_annotated_query_gives(spread_posts):
    ours = [(label.pk, label.name, label.post_count) for label in selectors.labels_with_counts()]
    theirs = [(label.pk, label.name, label.post_count) for label in selectors.label_counts()]
    assert ours == theirs and [name for _, name, _ in ours] == ["Harbours", "Rail"]
