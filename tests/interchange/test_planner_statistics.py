"""A big import leaves the database with planner statistics; a small one does not bother."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from dateline.interchange.importing import ANALYZE_FROM, import_records
from dateline.interchange.records import PostRecord

pytestmark = pytest.mark.django_db


def records(count: int, prefix: str) -> list[PostRecord]:
    start = datetime(2020, 1, 1, tzinfo=UTC)
    return [
        PostRecord(import_id=f"test:{prefix}{n}", title=f"Ferry notice {n}",
                   body=f"<p>Crossing {n} runs late.</p>", labels=("Malta",),
                   published=start + timedelta(hours=n), path=f"/2020/01/{prefix}{n}.html")
        for n in range(count)
    ]  # fmt: skip


def post_table_analysed() -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return False
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'posts_post'")
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'posts_post'")
        return cursor.fetchone()[0] > 0


def test_only_a_big_import_refreshes_the_statistics():
    with connection.cursor() as cursor:  # start from none, whatever ran before
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone():
                cursor.execute("DELETE FROM sqlite_stat1")
    import_records(records(3, "small-"))
    if connection.vendor == "sqlite":
        assert not post_table_analysed()
    import_records(records(ANALYZE_FROM, "big-"))
    assert post_table_analysed()
