"""The feeds are written from rows (posts.feedwriter) for speed; django.contrib.syndication,
as the feeds used it before (tests/posts/feed_reference.py), is the reference: the same
bytes and headers and the same 404s over hostile input; where the framework failed (a
control character in a label or comment, a post without a path), the tests say what
ours does instead."""

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone
from lxml import etree

from dateline.comments.models import Comment
from dateline.core.text import strip_control_chars
from dateline.posts.models import Label, Post
from dateline.site_settings.current import applied
from tests.posts.feed_reference import VIEWS

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> & \"quoted\" 'single' Zoë 😀 «\u00a0nbsp\u00a0» \uff0c"
LABELS = ("Malta & Gozo", "Ünïcode", "a/b", "with space", '"quoted"', "it's", "<b>", "C++",
          "apple", "Banana", "émigré", "中文", "Zebra")  # fmt: skip


def answer(view, request, match) -> tuple:
    """What a view answers: status, headers and bytes, or the kind of error it raises."""
    try:
        response = view(request, *match.args, **match.kwargs)
    except Exception as error:  # any failure must be the reference's failure
        return (type(error).__name__,)
    return response.status_code, dict(response.headers), response.content


def both(rf, url: str, rss: bool = False, **extra) -> tuple[tuple, tuple]:
    """Ours (through dateline/urls.py) and the reference's answer to the same request."""
    query = {"alt": "rss"} if rss else {}
    request = rf.get(url, query, **extra)
    match = resolve(request.path_info)
    ours = answer(match.func, request, match)
    theirs = answer(VIEWS[match.url_name], rf.get(url, query, **extra), match)
    return ours, theirs


def assert_same(rf, url: str, rss: bool = False, **extra) -> tuple:
    ours, theirs = both(rf, url, rss, **extra)
    assert ours == theirs, url
    return ours


def feed_url(label: str) -> str:
    return "/feeds/posts/default/-/" + quote(label, safe="/+")


def write_past_save(model, pk: int, **values) -> None:
    """Store values as an import or an old row may hold them, which save() would clean."""
    model.objects.filter(pk=pk).update(**values)


@pytest.fixture
def hostile_blog(make_post, django_user_model):
    """Every shape a feed item takes, with hostile text wherever text goes."""
    now = timezone.now().replace(microsecond=0)
    zoe = django_user_model.objects.create_user('zoë&"<x>')
    body = f"{HOSTILE}\n\n## Next & last\n\n> quote\n\n[link](https://a.example/?a=1&b=2)"
    first = make_post(title=HOSTILE, labels=LABELS, author=zoe, body_source=body,
                      published_at=now - timedelta(days=1, microseconds=-123456))  # fmt: skip
    tie = make_post(title="Same moment", labels=("Zebra", "apple"), published_at=first.published_at)
    # Control characters that are single bytes in UTF-8, and wider ones, apart.
    dirty = make_post(title="Dirty", labels=("Malta & Gozo",))
    write_past_save(Post, dirty.pk, title="Tab\there\x01 bell\x07 del\x7f",
                    body_html="<p>vertical\x0btab, esc\x1b</p>\n<p>two</p>")  # fmt: skip
    wide = make_post(title="Wide", labels=("Ünïcode",))
    write_past_save(Post, wide.pk, title="C1\x85 nonchar\ufffe é", body_html="<p>\x80 \uffff</p>")
    empty = make_post(title="Empty", labels=("Banana",))
    write_past_save(Post, empty.pk, title="", body_html="")
    odd = [make_post(title=f"Odd path {n}", labels=("with space",)) for n in range(4)]
    paths = ["/2020/01/ça va & co?.html", "//elsewhere.example/x.html",
             "https://elsewhere.example/ü x.html", None]  # fmt: skip
    for post, path in zip(odd, paths, strict=True):
        write_past_save(Post, post.pk, path=path)
    older = make_post(title="Edited before it was published", labels=("a/b",))
    write_past_save(Post, older.pk, updated_at=older.published_at - timedelta(days=30))
    edited = make_post(title="Edited later", labels=("中文",), published_at=now - timedelta(days=9))
    write_past_save(Post, edited.pk, updated_at=now - timedelta(seconds=5))
    draft = make_post(title="Draft", status=Post.Status.DRAFT, labels=("Malta & Gozo", "Zebra"))
    scheduled = make_post(title="Scheduled", labels=("Malta & Gozo",),
                          published_at=now + timedelta(days=1))  # fmt: skip
    page = make_post(title="About us", kind=Post.Kind.PAGE, labels=("Malta & Gozo",))
    Label.objects.create(name="Nothing yet")  # a label no visible post carries
    comments = [
        (first, '<b>Ann</b> & "co"', "approved"), (first, "Zoë", "approved"),
        (first, "Pending", "pending"), (first, "Spam", "spam"), (tie, "Bob", "approved"),
        (page, "Page reader", "approved"), (scheduled, "Too early", "approved"),
        (draft, "Drafty", "approved"), (odd[0], "Odd", "approved"),
        (odd[3], "No path", "approved"), (dirty, "Dirty", "approved"),
        (wide, "Wide", "approved"), (empty, "Nameless", "approved"),
    ]  # fmt: skip
    for n, (post, name, status) in enumerate(comments):
        when = now - timedelta(hours=n, microseconds=n)
        Comment.objects.create(post=post, author_name=name, body=f"{HOSTILE}\n\nline {n}",
                               status=status, created_at=when)  # fmt: skip
    Comment.objects.filter(author_name="Dirty").update(author_name="Dirty\x01reader")
    Comment.objects.filter(author_name="Wide").update(author_name="Wide\x85reader")
    Comment.objects.filter(author_name="Nameless").update(author_name="")
    return {"first": first, "dirty": dirty, "wide": wide, "page": page, "empty": empty,
            "scheduled": scheduled, "odd": odd, "draft": draft}  # fmt: skip


def urls_of(blog: dict) -> list[str]:
    return [
        "/feeds/posts/default",
        *(feed_url(name) for name in LABELS),
        feed_url("malta & gozo"),  # any case
        feed_url("Malta & Gozo+Zebra"),
        feed_url("apple+Zebra+中文"),
        "/feeds/comments/default",
        *(
            f"/feeds/{blog[name].pk}/comments/default"
            for name in ("first", "page", "dirty", "wide", "empty")
        ),
        f"/feeds/{blog['odd'][0].pk}/comments/default",
    ]


@pytest.mark.parametrize("rss", [False, True], ids=["atom", "rss"])
def test_every_feed_is_the_frameworks_bytes_and_headers(rf, hostile_blog, rss):
    for url in urls_of(hostile_blog):
        status, headers, _ = assert_same(rf, url, rss)
        assert status == 200 and "Last-Modified" in headers


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
def test_time_zone_language_scheme_and_host_change_nothing_but_what_they_change(
    rf, settings, hostile_blog, zone, language, secure, host
):
    settings.TIME_ZONE, settings.LANGUAGE_CODE, settings.ALLOWED_HOSTS = zone, language, ["*"]
    settings.DATELINE_SITE_TITLE = "Ça & <Co> \"news\" 'n' views"
    settings.DATELINE_SITE_DESCRIPTION = "Clips & <quotes>, ünïcode"
    for url in urls_of(hostile_blog):
        for rss in (False, True):
            assert assert_same(rf, url, rss, secure=secure, HTTP_HOST=host)[0] == 200, url


@pytest.mark.parametrize("size", [1, 3])
def test_feeds_stop_at_the_feed_size(rf, settings, hostile_blog, size):
    settings.DATELINE_FEED_SIZE = size
    available = {"/feeds/posts/default": 11, feed_url("with space"): 4,
                 "/feeds/comments/default": 9,
                 f"/feeds/{hostile_blog['first'].pk}/comments/default": 2}  # fmt: skip
    for url, count in available.items():
        for rss in (False, True):
            *_, body = assert_same(rf, url, rss)
            assert body.count(b"<item>" if rss else b"<entry>") == min(size, count), url


def test_unknown_hidden_and_draft_things_are_404s_in_both(rf, hostile_blog):
    for url in [feed_url("Nowhere"), feed_url("Malta & Gozo+Nowhere"), "/feeds/posts/default/-/+",
                "/feeds/999999/comments/default",
                f"/feeds/{hostile_blog['draft'].pk}/comments/default",
                f"/feeds/{hostile_blog['scheduled'].pk}/comments/default"]:  # fmt: skip
        for rss in (False, True):
            assert assert_same(rf, url, rss) == ("Http404",)


def test_control_characters_left_anywhere_are_stripped_where_the_framework_refused(
    rf, hostile_blog
):
    """Comment bodies and label names are not cleaned on the way out: the framework refused
    a control character in text (a 500) and wrote one in an attribute (Atom's term), which
    no XML parser accepts. Ours answers, without them, and is otherwise the same bytes."""
    Label.objects.filter(name="apple").update(name="C1\x85 is no refusal")
    Label.objects.filter(name="Zebra").update(name="Zeb\x01ra")
    Comment.objects.filter(author_name="Zoë").update(body_html="<p>bell\x07</p>")
    refused = 0
    for url in ("/feeds/posts/default", "/feeds/comments/default"):
        for rss in (False, True):
            ours, theirs = both(rf, url, rss)
            status, _, body = ours
            assert status == 200, url
            assert strip_control_chars(body.decode()).encode() == body, url
            assert etree.fromstring(body) is not None  # well-formed XML 1.0
            if len(theirs) == 1:
                assert theirs == ("UnserializableContentError",)
                refused += 1
            else:
                assert body == strip_control_chars(theirs[2].decode()).encode(), url
    assert refused == 3  # RSS's categories, and both comment feeds' bodies


def without_now(result: tuple) -> tuple:
    """An empty feed's date is the time it is written: check it, then set it aside."""
    status, headers, body = result
    found = re.search(rb"<(updated|lastBuildDate)>([^<]+)</", body)
    text = found.group(2).decode()
    when = parsedate_to_datetime(text) if found.group(1) == b"lastBuildDate" else (
        datetime.fromisoformat(text))  # fmt: skip
    assert abs(when - datetime.now(UTC)) < timedelta(minutes=5)
    assert abs(parsedate_to_datetime(headers.pop("Last-Modified")) - when) < timedelta(seconds=2)
    return status, headers, body.replace(found.group(2), b"NOW")


def test_empty_feeds_are_the_frameworks_too(rf, make_post):
    post = make_post(title="No comments yet", labels=("Quiet",))
    make_post(title="Loud", labels=("Loud",))  # no post carries both Quiet and Loud
    empty = [
        feed_url("Quiet+Loud"),
        "/feeds/comments/default",
        f"/feeds/{post.pk}/comments/default",
    ]
    for url in empty:
        for rss in (False, True):
            ours, theirs = both(rf, url, rss)
            assert without_now(ours) == without_now(theirs), url
    Post.objects.all().delete()
    for rss in (False, True):
        ours, theirs = both(rf, "/feeds/posts/default", rss)
        assert without_now(ours) == without_now(theirs)


def queries_for(rf, url: str) -> int:
    request = rf.get(url)
    match = resolve(request.path_info)
    with applied(), CaptureQueriesContext(connection) as queries:  # as the middleware runs it
        assert match.func(request, *match.args, **match.kwargs).status_code == 200
    return len(queries)


def test_each_feed_takes_the_same_few_queries_however_many_items_it_holds(rf, make_post):
    post = make_post(labels=("Malta", "Italy"))
    Comment.objects.create(post=post, author_name="R", body="One.", status="approved",
                           created_at=post.published_at)  # fmt: skip
    urls = {"/feeds/posts/default": 2, feed_url("Malta"): 3, feed_url("Malta+Italy"): 4,
            "/feeds/comments/default": 1, f"/feeds/{post.pk}/comments/default": 2}  # fmt: skip
    assert {url: queries_for(rf, url) for url in urls} == urls
    for n in range(30):
        more = make_post(labels=("Malta", "Italy", f"Extra {n}"))
        Comment.objects.create(post=post if n % 2 else more, author_name="R", body="More.",
                               status="approved", created_at=more.published_at)  # fmt: skip
    assert {url: queries_for(rf, url) for url in urls} == urls
