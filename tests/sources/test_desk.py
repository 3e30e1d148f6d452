"""The desk's Sources page (Django client): counts, filter, history, citing posts, check now;
and the desk home's count of sources needing attention."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from dateline.posts.models import Post, Source
from dateline.sources.checking import record
from dateline.sources.models import SourceHealth
from dateline.sources.probe import Finding
from dateline.sources.states import Outcome

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("checking_settings")]


@pytest.fixture
def author_client(client):
    user = get_user_model().objects.create_user("ada", password="x", is_staff=True)
    client.force_login(user)
    return client


def test_the_page_counts_filters_and_shows_history_and_citing_posts(author_client):
    dead = Source.objects.create(url="https://gone.example/story", publisher="Gone Gazette")
    fine = Source.objects.create(url="https://fine.example/story", publisher="Fine Times")
    Source.objects.create(url="https://new.example/story", publisher="New Daily")
    Post.objects.create(title="Citing the gazette", source=dead)
    for _ in range(3):
        record(dead, Finding(Outcome.GONE, "The page is gone (HTTP 404).", 404))
    record(fine, Finding(Outcome.OK, "The page answers (HTTP 200).", 200))
    html = author_client.get("/desk/sources/").content.decode()
    assert 'aria-current="page">All <span class="count">3</span>' in html
    assert 'Dead <span class="count">1</span>' in html and "Unchecked <span" in html
    assert "Citing the gazette" in html and "History of 3 checks" in html
    assert "The page is gone (HTTP 404)." in html
    only_dead = author_client.get("/desk/sources/?state=dead").content.decode()
    assert "Gone Gazette" in only_dead and "Fine Times" not in only_dead
    unchecked = author_client.get("/desk/sources/?state=unchecked").content.decode()
    assert "New Daily" in unchecked and "Gone Gazette" not in unchecked


def test_check_now_checks_the_source_and_says_so(
    author_client, news, django_capture_on_commit_callbacks
):
    source = Source.objects.create(url=news.url("/story"))
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(f"/desk/sources/{source.pk}/check/")
    assert response.status_code == 302 and f"checked={source.pk}" in response["Location"]
    assert SourceHealth.objects.get(pk=source.pk).state == "ok"  # the test backend runs it
    page = author_client.get(response["Location"]).content.decode()
    assert f"A check of source {source.pk} was queued" in page
    assert author_client.get(f"/desk/sources/{source.pk}/check/").status_code == 405


def test_the_home_counts_sources_needing_attention_by_state(author_client):
    Source.objects.create(url="https://a.example/1", last_check_result="dead")
    Source.objects.create(url="https://a.example/2", last_check_result="suspect")
    Source.objects.create(url="https://a.example/3", last_check_result="blocked")
    Source.objects.create(url="https://a.example/4", last_check_result="redirected")
    html = author_client.get("/desk/").content.decode()
    assert 'Sources needing attention <span class="count">2</span>' in html


def test_readers_cannot_see_the_page(client):
    assert client.get("/desk/sources/").status_code == 302
