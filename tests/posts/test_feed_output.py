"""The feeds are written from rows (posts.feedwriter) for speed, over a blog with hostile
text everywhere (tests/posts/hostile_feeds.py): every feed keeps the W3C feed validator's
rules (tests/posts/feed_rules.py) whatever the text, zone, language, scheme or host, and
answers 404 where django.contrib.syndication, as the feeds used it before
(tests/posts/feed_reference.py), did; where the framework failed (a control character in
a label or comment, a post without a path), the tests say what ours does instead."""

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from dateline.comments.models import Comment
from dateline.core.text import strip_control_chars
from dateline.posts.models import Label, Post
from dateline.site_settings.current import applied
from tests.posts.feed_reference import VIEWS
from tests.posts.feed_rules import problems
from tests.posts.hostile_feeds import feed_url, urls_of

pytestmark = pytest.mark.django_db


def answer(view, request, match, **kwargs) -> tuple:
    """What a view answers: status, headers and bytes, or the kind of error it raises."""
    try:
        response = view(request, *match.args, **kwargs)
    except Exception as error:  # any failure must be the reference's failure
        return (type(error).__name__,)
    return response.status_code, dict(response.headers), response.content


def both(rf, url: str, rss: bool = False, **extra) -> tuple[tuple, tuple]:
    """Ours (through dateline/urls.py) and the reference's answer to the same request."""
    query = {"alt": "rss"} if rss else {}
    request = rf.get(url, query, **extra)
    match = resolve(request.path_info)
    ours = answer(match.func, request, match, **match.kwargs)
    # The reference knew one projection, `default`: its URLs had no variable for it.
    kwargs = {k: v for k, v in match.kwargs.items() if k != "projection"}
    theirs = answer(VIEWS[match.url_name], rf.get(url, query, **extra), match, **kwargs)
    return ours, theirs


def assert_same(rf, url: str, rss: bool = False, **extra) -> tuple:
    ours, theirs = both(rf, url, rss, **extra)
    assert ours == theirs, url
    return ours


def fetched(client, url: str, rss: bool, host: str = "testserver", secure: bool = False):
    """The feed's response and the problems the validator's rules find in it."""
    asked = url + ("?alt=rss" if rss else "")
    response = client.get(asked, secure=secure, HTTP_HOST=host)
    assert response.status_code == 200, asked
    scheme = "https" if secure else "http"
    return response, problems(response.content, f"{scheme}://{host}{asked}")


@pytest.mark.parametrize("rss", [False, True], ids=["atom", "rss"])
def test_every_feed_keeps_the_validators_rules(client, hostile_blog, rss):
    for url in urls_of(hostile_blog):
        response, found = fetched(client, url, rss)
        assert found == [], url
        assert "Last-Modified" in response.headers


def test_a_post_without_a_path_has_no_comment_feed_where_the_framework_failed(rf, hostile_blog):
    """Readers cannot open such a post (only a write past save() leaves one): a 404, where
    the framework raised (add_domain(None)) and answered 500."""
    pathless = f"/feeds/{hostile_blog['odd'][3].pk}/comments/default"
    for rss in (False, True):
        assert both(rf, pathless, rss) == (("Http404",), ("AttributeError",))


@pytest.mark.parametrize(
    ("zone", "language", "secure", "host"),
    [("Pacific/Auckland", "pt-br", True, "blog.example:8443"),
     ("America/Los_Angeles", "de", False, "xn--bcher-kva.example")],
)  # fmt: skip
def test_time_zone_language_scheme_and_host_keep_every_feed_valid(
    client, settings, hostile_blog, zone, language, secure, host
):
    settings.TIME_ZONE, settings.LANGUAGE_CODE, settings.ALLOWED_HOSTS = zone, language, ["*"]
    settings.DATELINE_SITE_TITLE = "Ça & <Co> \"news\" 'n' views"
    settings.DATELINE_SITE_DESCRIPTION = "Clips & <quotes>, ünïcode"
    for url in urls_of(hostile_blog):
        for rss in (False, True):
            response, found = fetched(client, url, rss, host, secure)
            assert found == [], url
            assert f"tag:{host.split(':')[0]},".encode() in response.content


@pytest.mark.parametrize("size", [1, 3])
def test_feeds_stop_at_the_feed_size(client, settings, hostile_blog, size):
    settings.DATELINE_FEED_SIZE = size
    available = {"/feeds/posts/default": 11, feed_url("with space"): 4,
                 "/feeds/comments/default": 9,
                 f"/feeds/{hostile_blog['first'].pk}/comments/default": 2}  # fmt: skip
    for url, count in available.items():
        for rss in (False, True):
            response, found = fetched(client, url, rss)
            assert found == [], url
            assert response.content.count(b"<item>" if rss else b"<entry>") == min(size, count)


def test_unknown_hidden_and_draft_things_are_404s_in_both(rf, hostile_blog):
    for url in [feed_url("Nowhere"), feed_url("Malta & Gozo+Nowhere"), "/feeds/posts/default/-/+",
                "/feeds/999999/comments/default",
                f"/feeds/{hostile_blog['draft'].pk}/comments/default",
                f"/feeds/{hostile_blog['scheduled'].pk}/comments/default"]:  # fmt: skip
        for rss in (False, True):
            assert assert_same(rf, url, rss) == ("Http404",)


def test_control_characters_left_anywhere_are_stripped_where_the_framework_refused(
    rf, client, hostile_blog
):
    """Comment bodies and label names are not cleaned on the way out: the framework refused
    a control character in text (a 500) and wrote one in an attribute (Atom's term), which
    no XML parser accepts. Ours answers, without them, and keeps the validator's rules."""
    Label.objects.filter(name="apple").update(name="C1\x85 is no refusal")
    Label.objects.filter(name="Zebra").update(name="Zeb\x01ra")
    Comment.objects.filter(author_name="Zoë").update(body_html="<p>bell\x07</p>")
    refused = 0
    for url in ("/feeds/posts/default", "/feeds/comments/default"):
        for rss in (False, True):
            response, found = fetched(client, url, rss)
            body = response.content
            assert found == [], url
            assert strip_control_chars(body.decode()).encode() == body, url
            theirs = both(rf, url, rss)[1]
            refused += theirs == ("UnserializableContentError",)
    assert refused == 3  # RSS's categories, and both comment feeds' bodies


def test_empty_feeds_are_valid_and_dated_now(client, make_post):
    post = make_post(title="No comments yet", labels=("Quiet",))
    make_post(title="Loud", labels=("Loud",))  # no post carries both Quiet and Loud
    empty = [feed_url("Quiet+Loud"), "/feeds/comments/default",
             f"/feeds/{post.pk}/comments/default"]  # fmt: skip
    for url in empty:
        for rss in (False, True):
            response, found = fetched(client, url, rss)
            assert found == [], url
            when = parsedate_to_datetime(response.headers["Last-Modified"])
            assert abs(when - datetime.now(UTC)) < timedelta(minutes=5)
    Post.objects.all().delete()
    for rss in (False, True):
        assert fetched(client, "/feeds/posts/default", rss)[1] == []


def queries_for(rf, url: str) -> int:
    request = rf.get(url)
    match = resolve(request.path_info)
    with applied(), CaptureQueriesContext(connection) as queries:  # as the middleware runs it
        assert match.func(request, *match.args, **match.kwargs).status_code == 200
    return len(queries)


def test_each_feed_takes_the_same_few_queries_however_many_items_it_holds(rf, make_post):
    """A feed longer than a page counts its entries once more, to name its newest archive
    page (posts.feedarchive); past that, the number of queries never grows."""
    post = make_post(labels=("Malta", "Italy"))
    Comment.objects.create(post=post, author_name="R", body="One.", status="approved",
                           created_at=post.published_at)  # fmt: skip
    urls = {"/feeds/posts/default": 2, feed_url("Malta"): 3, feed_url("Malta+Italy"): 4,
            "/feeds/comments/default": 1, f"/feeds/{post.pk}/comments/default": 2}  # fmt: skip
    assert {url: queries_for(rf, url) for url in urls} == urls
    longer = {url: count + 1 for url, count in urls.items()}
    for rounds in range(2):
        for n in range(30):
            more = make_post(labels=("Malta", "Italy", f"Extra {rounds} {n}"))
            Comment.objects.create(post=post, author_name="R", body="More.",
                                   status="approved", created_at=more.published_at)  # fmt: skip
        assert {url: queries_for(rf, url) for url in urls} == longer
