"""The desk's home: the author's work at a glance, and nobody else's business."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from dateline.comments.models import Comment
from dateline.desk.charts import Bar, Chart
from dateline.desk.overview import comments_per_week, posts_per_month
from dateline.posts.models import Post, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def author() -> Client:
    user = get_user_model().objects.create_user("hana", "h@example.org", "pw", is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def test_visitors_and_readers_accounts_are_sent_to_log_in():
    response = Client().get("/desk/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/desk/"
    reader = get_user_model().objects.create_user("reader", "r@example.org", "pw")
    client = Client()
    client.force_login(reader)
    assert client.get("/desk/").status_code == 302


def test_home_lists_drafts_scheduled_posts_waiting_comments_and_sick_sources(author):
    now = timezone.now()
    Post.objects.create(title="Half-written piece on tides", body_source="x")
    Post.objects.create(title="Goes out tomorrow", body_source="x", status="published",
                        published_at=now + timedelta(days=1))  # fmt: skip
    live = Post.objects.create(title="Out already", body_source="x", status="published",
                               published_at=now - timedelta(days=1))  # fmt: skip
    Comment.objects.create(post=live, author_name="Maren", body="Is the <b>ferry</b> back?",
                           created_at=now)  # fmt: skip
    Comment.objects.create(post=live, author_name="Old", body="Fine.", created_at=now,
                           status=Comment.Status.APPROVED)  # fmt: skip
    Source.objects.create(url="https://gone.example/story", last_check_result="dead")
    Source.objects.create(url="https://fine.example/story", last_check_result="ok")
    response = author.get("/desk/")
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "Half-written piece on tides" in page and "Goes out tomorrow" in page
    assert "Out already</a> <span" not in page.split("Comments waiting")[0]
    assert "Maren" in page and "Is the &lt;b&gt;ferry&lt;/b&gt; back?" in page
    assert "Old</strong>" not in page
    assert "gone.example" in page and "fine.example" not in page
    assert '<span class="badge">1<span class="visually-hidden"> waiting</span>' in page


def test_charts_count_by_month_and_week_in_the_blogs_time_zone(settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    now = timezone.now()
    for days in (0, 1, 40):
        Post.objects.create(title=f"P{days}", body_source="x", status="published",
                            published_at=now - timedelta(days=days))  # fmt: skip
    Post.objects.create(title="Draft", body_source="x")
    Post.objects.create(title="Page", body_source="x", status="published", kind="page",
                        published_at=now)  # fmt: skip
    months = posts_per_month(now)
    assert len(months.bars) == 12 and months.total == 3
    local = timezone.localtime(now)
    assert months.bars[-1].title == local.strftime("%B %Y")
    post = Post.objects.get(title="P0")
    Comment.objects.create(post=post, author_name="A", body="x", created_at=now)
    Comment.objects.create(
        post=post, author_name="B", body="x", created_at=now - timedelta(weeks=13)
    )
    weeks = comments_per_week(now)
    assert len(weeks.bars) == 12 and weeks.total == 1 and weeks.bars[-1].value == 1


def test_a_chart_escapes_its_labels_and_scales_to_its_largest_bar():
    chart = Chart("c", (Bar("<a>", 2, "x & y"), Bar("b", 4, "z")))
    svg = chart.svg()
    assert "&lt;a&gt;" in svg and "x &amp; y: 2" in svg and "<a>" not in svg
    assert 'height="102.0"' in svg and 'height="51.0"' in svg
