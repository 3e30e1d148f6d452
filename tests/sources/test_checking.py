"""Each way a source answers, checked against real servers on 127.0.0.N, and the state it
leads to after one check and after three."""

from __future__ import annotations

import pytest

from dateline.posts.models import Source
from dateline.sources.checking import check_source
from dateline.sources.models import HISTORY, SourceCheck, SourceHealth
from dateline.sources.politeness import USER_AGENT
from dateline.sources.states import Outcome, State

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("checking_settings")]


def _check(url: str, times: int = 1) -> SourceHealth:
    source = Source.objects.create(url=url)
    for _ in range(times):
        source.refresh_from_db()
        checked = check_source(source)
    return checked.health


@pytest.mark.parametrize(
    ("path", "outcome"),
    [
        ("/story", Outcome.OK),
        ("/www-only", Outcome.OK),  # a trailing slash added is not a move
        ("/no-head", Outcome.OK),
        ("/moved", Outcome.MOVED),
        ("/deleted", Outcome.GONE),
        ("/removed", Outcome.GONE),
        ("/old-story", Outcome.GONE),
        ("/old-report", Outcome.GONE),
        ("/walled", Outcome.BLOCKED),
        ("/rate-limited", Outcome.BLOCKED),
        ("/challenge", Outcome.BLOCKED),
        ("/private/story", Outcome.BLOCKED),  # robots.txt
        ("/broken", Outcome.UNREACHABLE),
        ("/slow", Outcome.UNREACHABLE),
    ],
)
def test_one_check_reads_each_answer(news, path, outcome):
    source = Source.objects.create(url=news.url(path))
    assert check_source(source).finding.outcome is outcome


def test_soft_404_and_parked_domain_are_gone(soft_site, parked_site):
    lost = check_source(Source.objects.create(url=soft_site.url("/lost"))).finding
    assert lost.outcome is Outcome.GONE and "soft 404" in lost.detail
    real = check_source(Source.objects.create(url=soft_site.url("/story"))).finding
    assert real.outcome is Outcome.OK
    parked = check_source(Source.objects.create(url=parked_site.url("/2007/story"))).finding
    assert parked.outcome is Outcome.GONE and "parked" in parked.detail


def test_no_such_host_and_refused_connection_are_gone(refused_url):
    assert _check("http://no-such-host.invalid/story").state == State.SUSPECT
    assert _check(refused_url).state == State.SUSPECT


def test_dead_only_after_three_gone_checks_in_a_row(news):
    source = Source.objects.create(url=news.url("/deleted"))
    states = []
    for _ in range(3):
        source.refresh_from_db()
        states.append(check_source(source).health.state)
    assert states == [State.SUSPECT, State.SUSPECT, State.DEAD]
    source.refresh_from_db()
    assert source.last_check_result == "dead" and source.last_checked_at is not None
    assert SourceHealth.objects.get(pk=source.pk).failures == 3


def test_a_flapping_server_is_never_dead(news):
    health = _check(news.url("/flapping"), times=6)
    states = list(SourceCheck.objects.filter(source_id=health.pk).values_list("state", flat=True))
    assert State.DEAD not in states
    assert set(states) <= {State.OK, State.UNREACHABLE}


def test_a_success_resets_the_streak_and_the_link_comes_back(news):
    news.routes["/comeback"] = news.routes["/deleted"]
    try:
        health = _check(news.url("/comeback"), times=3)
        assert health.state == State.DEAD
        news.routes["/comeback"] = news.routes["/story"]
        health = _check_again(health.source)
        assert (health.state, health.failures, health.gone_streak) == (State.OK, 0, 0)
    finally:
        news.routes.pop("/comeback")


def _check_again(source: Source) -> SourceHealth:
    source.refresh_from_db()
    return check_source(source).health


def test_moved_keeps_the_new_address(news):
    health = _check(news.url("/moved"))
    assert health.state == State.REDIRECTED
    assert health.moved_to == news.url("/2009/moved-story")


def test_blocked_is_never_dead(news):
    assert _check(news.url("/walled"), times=4).state == State.BLOCKED


def test_history_keeps_the_last_checks(news):
    health = _check(news.url("/story"), times=HISTORY + 3)
    assert SourceCheck.objects.filter(source_id=health.pk).count() == HISTORY


def test_the_checker_says_who_it_is_and_asks_with_head_first(news):
    news.requests.clear()
    _check(news.url("/deleted"))
    asked = [(method, path) for method, path, _ in news.requests if path == "/deleted"]
    assert asked == [("HEAD", "/deleted"), ("GET", "/deleted")]
    assert {agent for _, _, agent in news.requests} == {USER_AGENT}
