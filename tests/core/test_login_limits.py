"""Logging in at /admin/login/ locks after repeated failures, per account and per address.

Real login POSTs through the test client (django-axes does the counting). Time passing is
simulated by moving the stored attempts back, never by waiting.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "the right passphrase 7"
LIMIT = settings.AXES_FAILURE_LIMIT


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("editor", "e@example.org", PASSWORD)


@pytest.fixture
def other_editor():
    return get_user_model().objects.create_superuser("second", "s@example.org", PASSWORD)


def attempt(username: str, password: str, ip: str = "203.0.113.5", **headers: str):
    """One login POST from `ip` in a fresh browser; returns (response, logged in?)."""
    client = Client(REMOTE_ADDR=ip)
    response = client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, **headers
    )
    return response, "_auth_user_id" in client.session


def fail(username: str, times: int, ip: str = "203.0.113.5", **headers: str) -> None:
    for _ in range(times):
        response, logged_in = attempt(username, "wrong guess", ip, **headers)
        assert not logged_in
        assert response.status_code in (200, 429)


def assert_locked(response, logged_in: bool) -> None:
    assert not logged_in
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert f"{settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in response.content.decode()


def let_cool_off_pass() -> None:
    """As if the cool-off had passed: every stored attempt is older than it."""
    earlier = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=earlier)


def test_the_limit_is_five_failures_and_fifteen_minutes_by_default():
    assert LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_failures_below_the_limit_do_not_lock(editor):
    fail("editor", LIMIT - 1)
    response, logged_in = attempt("editor", PASSWORD)
    assert logged_in
    assert response.status_code == 302


def test_a_locked_account_stays_locked_even_with_the_right_password(editor):
    fail("editor", LIMIT)
    assert_locked(*attempt("editor", PASSWORD))


def test_a_locked_account_is_locked_from_every_address(editor):
    fail("editor", LIMIT, ip="203.0.113.5")
    assert_locked(*attempt("editor", PASSWORD, ip="198.51.100.77"))
    assert_locked(*attempt("editor", PASSWORD, ip="2001:db8::9"))


def test_an_address_with_too_many_failures_is_locked_for_every_account(editor, other_editor):
    for n in range(LIMIT):  # one failure each for many accounts: no account reaches the limit
        fail(f"guess-{n}", 1, ip="203.0.113.5")
    assert_locked(*attempt("second", PASSWORD, ip="203.0.113.5"))
    # The accounts themselves are not locked: from elsewhere they log in.
    assert attempt("second", PASSWORD, ip="198.51.100.77")[1]


def test_the_lock_opens_after_the_cool_off(editor):
    fail("editor", LIMIT)
    assert_locked(*attempt("editor", PASSWORD))
    let_cool_off_pass()
    response, logged_in = attempt("editor", PASSWORD)
    assert logged_in
    assert response.status_code == 302


def test_a_successful_login_resets_the_count(editor):
    fail("editor", LIMIT - 1)
    assert attempt("editor", PASSWORD)[1]
    fail("editor", LIMIT - 1)  # would be far past the limit without the reset
    assert attempt("editor", PASSWORD)[1]


def test_the_admin_works_as_before_for_someone_who_logs_in(editor):
    client = Client(REMOTE_ADDR="203.0.113.5")
    response = client.post(LOGIN, {"username": "editor", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/posts/post/").status_code == 200
    assert AccessAttempt.objects.count() == 0


def test_a_forwarded_for_header_is_ignored_unless_behind_our_proxy(editor, other_editor):
    """Directly on the internet, a client cannot pick a fresh address per guess."""
    for n in range(LIMIT):
        fail(f"guess-{n}", 1, ip="203.0.113.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert_locked(*attempt("second", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200"))


def test_behind_our_proxy_the_address_the_proxy_saw_counts(editor, other_editor, settings):
    """Every request comes from the proxy (127.0.0.1); the last X-Forwarded-For entry, which
    nginx appends, is the client. Entries a client sent itself stand before it and are ignored."""
    settings.DATELINE_BEHIND_PROXY = True
    proxy = "127.0.0.1"
    for n in range(LIMIT):
        spoofed = f"192.0.2.{n}, 203.0.113.5"  # the client's own header, then the proxy's entry
        fail(f"guess-{n}", 1, ip=proxy, HTTP_X_FORWARDED_FOR=spoofed)
    assert_locked(*attempt("second", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5"))
    # Another reader behind the same proxy is not locked out with them.
    assert attempt("second", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")[1]


def test_an_ipv6_64_counts_as_one_address(editor, other_editor):
    """A machine handed a /64 can use a fresh address for every guess: they count together."""
    for n in range(LIMIT):
        fail(f"guess-{n}", 1, ip=f"2001:db8:5:6::{n + 1:x}")
    assert_locked(*attempt("second", PASSWORD, ip="2001:db8:5:6:ffff::1"))
    # Another /64, and IPv4 readers, are not locked out with it.
    assert attempt("second", PASSWORD, ip="2001:db8:5:7::1")[1]
    assert attempt("second", PASSWORD, ip="203.0.113.9")[1]


def test_an_ipv4_mapped_address_counts_as_the_ipv4_address(editor, other_editor):
    for n in range(LIMIT):
        fail(f"guess-{n}", 1, ip="::ffff:203.0.113.5")
    assert_locked(*attempt("second", PASSWORD, ip="203.0.113.5"))
