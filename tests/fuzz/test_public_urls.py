"""Every public URL answers 200, 301, 304, 400 or 404 whatever its path and query hold.

The routes come from the real URLconf, so a new public route is fuzzed without anyone
listing it here. Each route's variable parts (converters, regex groups) and its query get
hostile values: huge and negative numbers, years 0 and 9999, digits of other scripts,
empty and very long strings, control characters and raw %-escapes.
"""

import re
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from dateline.comments.models import Comment
from dateline.posts.models import Post

# Author pages: their answer to a reader is a redirect to the log-in page (Micropub's, a
# 401: tests/micropub holds it to the spec's errors).
AUTHOR_ONLY = ("admin/", "clip/", "micropub")
# The desk is an author area too, but for the pages a signed link opens without a log-in
# (a moderation link from an e-mail, a draft's preview): those are anyone's to ask for.
DESK, DESK_BY_LINK = "desk/", {"moderate", "preview"}
# Routes that take no GET (a reader's GET is a 405) but a POST; the POST is fuzzed too.
POST_ONLY = {"post-comment"}
READER_ANSWERS = {200, 301, 304, 400, 404}
# The query parameters public pages read, and a few they do not.
PARAMETERS = ["page", "reply", "comment", "q", "updated-max", "max-results", "alt", "label",
              "from", "to", "junk", "", "start-index", "orderby", "callback", "published-min",
              "published-max", "updated-min", "archive"]  # fmt: skip

# Swept in every query parameter and path variable of every route, then mixed at random.
HOSTILE = [
    "", " ", "0", "00", "-1", "+1", " 2", "1e9", "0x10", "0000", "0001", "9999", "10000",
    "9223372036854775807", "9223372036854775808", "1000000000000000000", "9" * 30, "9" * 5000,
    "²", "٣", "\uff11\uff12", "٢٠٢٤", "\x00", "\x1f", "\x7f", "\u202e", "\ufeff", "\r\n",
    "a" * 10_000, "+".join(f"label{n}" for n in range(80)), "+", "..", "%", "<script>", "'\"",
    "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "2024-02-30T00:00:00", "\U0001f600",
]  # fmt: skip
numbers = st.one_of(
    st.integers(-1000, 10**6).map(str),
    st.integers(1, 60).map("9".__mul__),  # past 32 and 64 bits, past any offset
)
hostile = st.sampled_from(HOSTILE) | numbers | st.text(max_size=30)
# Sent as they are, so the server sees the escape itself (malformed UTF-8, a NUL, a slash).
RAW_ESCAPES = ["%00", "%FF%FE", "%C0%AF", "%2e%2e%2f", "%E2%80%AE", "%25", "%", "%zz"]
path_value = hostile.map(lambda text: quote(text, safe="")) | st.sampled_from(RAW_ESCAPES)
query_string = st.one_of(
    st.dictionaries(st.sampled_from(PARAMETERS), hostile, max_size=3).map(urlencode),
    st.lists(st.tuples(st.text(max_size=8), hostile), max_size=4).map(urlencode),
    st.lists(st.sampled_from(PARAMETERS).map(quote) | st.sampled_from(RAW_ESCAPES), max_size=4)
    .flatmap(lambda names: st.tuples(*(path_value.map(f"{n}=".__add__) for n in names)))
    .map("&".join),
)
_ROUTE_PART = re.compile(r"<(?:[^>:]+:)?[^>]+>")


def public_routes(resolver: URLResolver | None = None, prefix: tuple = ()) -> list[tuple]:
    """(name, the patterns from the root to the view) of every route readers can ask for."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        chain = (*prefix, entry.pattern)
        if str(entry.pattern).lstrip("^").startswith(AUTHOR_ONLY):
            continue
        in_desk = str(chain[0]) == DESK
        if isinstance(entry, URLResolver):
            found += public_routes(entry, chain)
        elif isinstance(entry, URLPattern) and (not in_desk or entry.name in DESK_BY_LINK):
            found.append((entry.name or str(entry.pattern), chain))
    return found


def _part(pattern) -> st.SearchStrategy[str]:
    """One pattern's share of a path: its fixed text around hostile values, or (a regex)
    text it matches, some of it hostile."""
    if isinstance(pattern, RoutePattern):
        pieces = _ROUTE_PART.split(str(pattern))
        values = [path_value for _ in pieces[1:]]
        return st.tuples(*values).map(
            lambda got: (
                pieces[0] + "".join(v + rest for v, rest in zip(got, pieces[1:], strict=True))
            )
        )
    regex = pattern.regex.pattern
    matching = st.from_regex(regex, fullmatch=True).map(lambda text: quote(text, safe="/"))
    return matching | path_value.map(lambda value: value + "/")


def url_for(chain: tuple, known: list[str]) -> st.SearchStrategy[str]:
    """A generated path, or one of the route's `known` paths of real content (so that a
    hostile query reaches the page's own code), and a hostile query."""
    paths = st.tuples(*map(_part, chain)).map(lambda parts: "/" + "".join(parts))
    if known:
        paths = st.sampled_from(known) | paths
    return st.tuples(paths, query_string).map(lambda pq: pq[0] + ("?" + pq[1] if pq[1] else ""))


ROUTES = public_routes()


def test_the_fuzzed_routes_are_the_public_ones():
    names = {name for name, _ in ROUTES}
    assert {"home", "archive-year", "post", "label", "feed-post-comments", "post-comment",
            "feed-post-entry",
            "source-snapshot", "media", "sitemap", "moderate", "preview"} <= names  # fmt: skip
    assert not any(name.startswith(("admin", "clip")) for name in names)
    assert not names & {"post-edit", "comments", "settings"}


@pytest.fixture
def real_paths(make_post) -> dict[str, list[str]]:
    """Paths of real content, by route name: a post with labels, a comment and a source;
    a draft and a scheduled post with labels of their own; a page."""
    post = make_post(labels=("Malta", "Iran"), source_url="https://news.example/a")
    Comment.objects.create(post=post, author_name="Ann", body="First!",
                           created_at=timezone.now(), status="approved")  # fmt: skip
    make_post(labels=("Secret",), status=Post.Status.DRAFT)
    make_post(labels=("Later",), published_at=timezone.now() + timedelta(days=3))
    page = make_post(title="About", kind=Post.Kind.PAGE)
    year, month = post.published_at.year, post.published_at.month
    paths = [
        "/", "/search", "/search/", f"/{year}/", f"/{year}/{month:02d}/", post.path, page.path,
        f"/{year}_{month:02d}_01_archive.html", "/search/label/Malta", "/search/label/Malta+Iran",
        "/search/label/Secret", "/feeds/posts/default", "/feeds/posts/default/-/Malta",
        "/feeds/comments/default", f"/feeds/{post.pk}/comments/default",
        f"/feeds/posts/summary/{post.pk}", "/feeds/posts/summary/-/Malta",
        f"/comments/post/{post.pk}/", f"/sources/{post.source_id}/", "/sitemap.xml",
        "/robots.txt", "/atom.xml", "/rss.xml",
    ]  # fmt: skip
    by_route: dict[str, list[str]] = {}
    for path in paths:
        match = resolve(path)
        by_route.setdefault(match.url_name or match.route, []).append(path)
    return by_route


def assert_reader_answer(reader: Client, name: str, url: str) -> None:
    if name in POST_ONLY:
        assert reader.get(url).status_code in {404, 405}, url
        assert reader.post(url, {"body": "x", "author_name": "y"}).status_code < 500, url
    else:
        assert reader.get(url).status_code in READER_ANSWERS, url


def _swept_paths(chain: tuple, known: list[str]) -> list[str]:
    """The route's real paths, and (a route of path() patterns) each HOSTILE value in
    every one of its variables."""
    if not all(isinstance(pattern, RoutePattern) for pattern in chain):
        return known
    route = "/" + "".join(map(str, chain))
    if not _ROUTE_PART.search(route):
        return [route]
    return known + [_ROUTE_PART.sub(quote(value, safe=""), route) for value in HOSTILE]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "chain"), ROUTES, ids=[name for name, _ in ROUTES])
def test_every_hostile_value_in_every_parameter_gets_a_reader_s_answer(real_paths, name, chain):
    reader = Client()  # raises what a view raises: the test shows the traceback
    known = real_paths.get(name, [])
    for path in _swept_paths(chain, known):
        assert_reader_answer(reader, name, path)
    for path in known[:1]:
        for parameter in PARAMETERS:
            for value in HOSTILE:
                assert_reader_answer(reader, name, f"{path}?{urlencode({parameter: value})}")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "chain"), ROUTES, ids=[name for name, _ in ROUTES])
def test_any_request_to_a_public_route_gets_a_reader_s_answer(real_paths, name, chain):
    reader = Client()

    @given(url=url_for(chain, real_paths.get(name, [])))
    def ask(url: str) -> None:
        assert_reader_answer(reader, name, url)

    ask()
