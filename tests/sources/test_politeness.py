"""One request per host per interval, across processes (the claim is a database row)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from dateline.posts.models import Source
from dateline.sources.checking import check_source, interleave
from dateline.sources.politeness import claim

pytestmark = pytest.mark.django_db


def test_a_host_is_claimed_once_per_interval(settings):
    settings.DATELINE_SOURCE_HOST_INTERVAL = 5
    start = timezone.now()
    assert claim("news.example", start) == 0
    assert claim("news.example", start + timedelta(seconds=1)) == pytest.approx(4)
    assert claim("other.example", start + timedelta(seconds=1)) == 0
    assert claim("news.example", start + timedelta(seconds=5)) == 0


@pytest.mark.usefixtures("checking_settings")
def test_a_check_waits_for_the_host_instead_of_asking_at_once(settings, news):
    settings.DATELINE_SOURCE_HOST_INTERVAL = 1
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        import time

        waits.append(seconds)
        time.sleep(seconds)

    source = Source.objects.create(url=news.url("/story"))
    check_source(source, sleep=sleep)
    # robots.txt, HEAD and the not-found probe: three requests, each after the last one's slot.
    assert len(waits) >= 2 and all(wait > 0 for wait in waits)


def test_due_sources_take_turns_by_host():
    sources = [Source(url=f"http://{host}/{n}") for host in "aab" for n in range(2)]
    order = [source.url.split("/")[2] for source in interleave(sources)]
    assert order[:2] == ["a", "b"]
