"""The comment rate limit holds under concurrent posting and keys IPv6 readers by /64."""

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import Client
from django.test.testcases import LiveServerThread, _StaticFilesHandler

from dateline.comments.forms import start_token
from dateline.comments.models import Comment
from dateline.core.clientip import rate_limit_key
from tests.comments.test_comments import send

ROUNDS = 4
POSTS_PER_ROUND = 25
LIMIT = 5


class _RoomyServer(ThreadedWSGIServer):
    """Django's test server with a listen queue for every request of a round at once (its
    default of 10 makes the kernel reset some connections before the server sees them)."""

    request_queue_size = 128


class _RoomyServerThread(LiveServerThread):
    server_class = _RoomyServer


@pytest.fixture
def roomy_server(transactional_db) -> Iterator[str]:
    """A real threaded HTTP server on 127.0.0.1 running the site; each request gets its own
    thread and database connection, as under granian."""
    thread = _RoomyServerThread("127.0.0.1", _StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _round_address(round_number: int, number: int) -> str:
    """Odd rounds: one IPv4 reader; even rounds: a new address of one IPv6 /64 per request."""
    if round_number % 2:
        return f"198.51.100.{round_number}"
    return f"2001:db8:{round_number}:1::{number + 1:x}"


def test_concurrent_posts_never_exceed_the_limit(roomy_server, make_post, settings):
    """Readers' requests race on a threaded server (behind our proxy, so each round can come
    from its own address); whatever the interleaving, each address stores at most the limit."""
    settings.DATELINE_COMMENT_RATE = LIMIT
    settings.DATELINE_BEHIND_PROXY = True
    post = make_post(title="Ferry strike")
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(roomy_server + post.path, timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    url = f"{roomy_server}/comments/post/{post.pk}/"
    started = start_token()

    def post_one(round_number: int, number: int, barrier: threading.Barrier) -> int:
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "author_name": f"Reader {number}",
             "body": f"Comment {round_number}.{number}.", "started": started, "website": ""}
        ).encode()  # fmt: skip
        headers = {"Cookie": cookie, "X-Forwarded-For": _round_address(round_number, number)}
        request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 - loopback
        barrier.wait()
        try:
            with urllib.request.build_opener(_NoRedirect).open(request, timeout=60) as answer:
                return answer.status
        except urllib.error.HTTPError as answer:
            return answer.code

    for round_number in range(ROUNDS):
        barrier = threading.Barrier(POSTS_PER_ROUND)
        with ThreadPoolExecutor(max_workers=POSTS_PER_ROUND) as pool:
            answers = [
                pool.submit(post_one, round_number, number, barrier)
                for number in range(POSTS_PER_ROUND)
            ]
            statuses = [answer.result() for answer in answers]
        stored = Comment.objects.filter(body__startswith=f"Comment {round_number}.").count()
        assert stored == LIMIT, (round_number, stored, sorted(statuses))
        assert sorted(statuses) == [303] * LIMIT + [429] * (POSTS_PER_ROUND - LIMIT)


@pytest.mark.parametrize(
    ("first", "second", "shared"),
    [
        ("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe", True),
        ("2001:db8:1:2::1", "2001:db8:1:3::1", False),
        ("192.0.2.1", "192.0.2.2", False),
        ("::ffff:192.0.2.1", "192.0.2.1", True),
    ],
)
def test_rate_limit_key_groups_ipv6_by_64_and_ipv4_by_address(first, second, shared):
    assert (rate_limit_key(first) == rate_limit_key(second)) is shared


@pytest.mark.django_db
def test_an_ipv6_reader_cannot_walk_past_the_limit_within_their_64(make_post, settings):
    settings.DATELINE_COMMENT_RATE = 2
    post = make_post(title="Harbour strike")
    for suffix in ("1", "2"):
        assert send(Client(REMOTE_ADDR=f"2001:db8:5:6::{suffix}"), post).status_code == 303
    refused = send(Client(REMOTE_ADDR="2001:db8:5:6:abcd::99"), post, body="Third try")
    assert refused.status_code == 429
    assert Comment.objects.count() == 2
    assert send(Client(REMOTE_ADDR="2001:db8:5:7::1"), post).status_code == 303
