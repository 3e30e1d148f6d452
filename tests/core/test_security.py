"""The web-facing rules from issue 7: CSRF everywhere, no framing, a CSP without inline
scripts, Host validation without cache poisoning, and no open redirects through `next=`."""

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from dateline.clipping.models import ClipJob
from dateline.comments.forms import start_token
from dateline.comments.models import Comment
from dateline.posts.models import Post
from tests.serving.wsgi import call_wsgi, fast_page_cache

pytestmark = pytest.mark.django_db

PASSWORD = "security passphrase 3"


# --- fixtures ----------------------------------------------------------------------------
@pytest.fixture
def site(make_post) -> dict:
    """A published post with a label, a source and a pending comment; a finished clip job."""
    post = make_post(title="Harbour strike", labels=("Malta",), source_url="https://news.example/a")
    comment = Comment.objects.create(
        post=post, author_name="Reader", body="First!", created_at=post.published_at
    )
    draft = Post.objects.create(title="Clipped draft", body_source="Draft text.")
    job = ClipJob.objects.create(url="https://news.example/b", state="failed", post=draft)
    return {"post": post, "comment": comment, "job": job, "source": post.source}


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_superuser("editor", "e@example.org", PASSWORD)


def strict_client(user=None) -> Client:
    """A browser that sends no CSRF token unless the test adds one."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


# --- the URLconf, enumerated -------------------------------------------------------------
def all_patterns(patterns=None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    """Every URL pattern, with its full route as the resolver joins it."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from all_patterns(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


_CONVERTER = re.compile(r"<(?:(\w+):)?\w+>")
_CONVERTER_SAMPLES = {"year": "2024", "month": "01", "projection": "default"}  # others: 1
_GROUP = re.compile(r"\(\?P<\w+>([^()]*)\)")
_REGEX_PIECES = [(r"\d{4}", "2024"), (r"\d{2}", "01"), ("[0-9]{4}", "2024"), ("[0-9]{2}", "01"),
                 ("[^/]+", "x"), (".+", "x"), (".*", "x")]  # fmt: skip


def sample_url(route: str) -> str:
    """A concrete address the route matches: converters become 1 (a year 2024, a month 01),
    regex groups a sample."""
    url = _GROUP.sub(lambda m: m.group(1).split("|")[0], route)
    url = _CONVERTER.sub(lambda m: _CONVERTER_SAMPLES.get(m.group(1), "1"), url)
    for piece, sample in _REGEX_PIECES:
        url = url.replace(piece, sample)
    return "/" + url.replace("^", "").replace("$", "").replace("\\.", ".")


def test_every_url_pattern_gets_a_sample_address_that_resolves_to_it():
    routes = list(all_patterns())
    assert len(routes) > 100  # the admin's too
    for route, pattern in routes:
        url = sample_url(route)
        assert resolve(url).func == pattern.callback, (route, url)


# Views exempt from CsrfViewMiddleware that apply csrf_protect themselves, after a check
# that must come first; each reason says why. Still 403 for staff without a token (below).
PROTECTED_INSIDE = {
    # Refuses an oversized upload by its Content-Length before anything reads the body
    # (csrf_protect would read and spool it), then runs the upload under csrf_protect.
    "admin/interchange/importjob/add/": "size check before reading the upload",
    # Micropub clients send a bearer token, never a cookie: a session cannot be ridden
    # there, and a request without the token is the spec's 401 (tests/micropub).
    "micropub": "bearer token, no cookies",
    "micropub/media": "bearer token, no cookies",
}
BEARER_TOKEN_ONLY = {"micropub", "micropub/media"}


def test_no_view_is_exempt_from_csrf_except_those_that_protect_themselves():
    exempt = {route for route, p in all_patterns() if getattr(p.callback, "csrf_exempt", False)}
    assert exempt <= set(PROTECTED_INSIDE)


@pytest.mark.parametrize("as_staff", [False, True], ids=["anonymous", "staff"])
def test_a_post_without_a_token_is_refused_at_every_address(site, staff, as_staff):
    """Every address in the URLconf, public or staff, refuses a token-less POST (403)
    before any view runs, so nothing is stored."""
    client = strict_client(staff if as_staff else None)
    before = row_counts()
    accepted = []
    for route, _ in all_patterns():
        url = sample_url(route)
        response = client.post(url, {"title": "x", "author_name": "x", "body": "x", "url": url})
        if not as_staff and route in PROTECTED_INSIDE and response.status_code == 302:
            assert response["Location"].startswith("/admin/login/")  # the admin's own gate
            continue
        if route in BEARER_TOKEN_ONLY and response.status_code == 401:
            continue  # a session (staff's too) carries no Micropub token
        if response.status_code != 403:
            accepted.append((url, response.status_code))
    assert accepted == []
    assert row_counts() == before


def test_a_complete_comment_without_a_token_is_refused_then_accepted_with_one(site):
    post = site["post"]
    form = {"author_name": "Ann", "body": "Well said.", "started": start_token(0)}
    client = strict_client()
    assert client.post(f"/comments/post/{post.pk}/", form).status_code == 403
    assert Comment.objects.count() == 1
    page = client.get(post.path)
    token = page.cookies["csrftoken"].value
    response = client.post(f"/comments/post/{post.pk}/", {**form, "csrfmiddlewaretoken": token})
    assert response.status_code == 303
    assert Comment.objects.count() == 2


def test_staff_forms_without_a_token_change_nothing(site, staff):
    client = strict_client(staff)
    post, comment, job = site["post"], site["comment"], site["job"]
    before = row_counts()
    attempts = [
        ("/clip/", {"url": "https://news.example/c", "html": "<p>Hi</p>", "text": "full"}),
        ("/desk/posts/new/", {"title": "Planted", "body_source": "x", "action": "publish"}),
        (f"/desk/posts/{post.pk}/", {"title": "Changed", "body_source": "x", "action": "publish"}),
        (f"/desk/posts/{post.pk}/autosave/", {"title": "Changed", "body_source": "x"}),
        ("/desk/comments/act/", {"action": "approve", "comment": [comment.pk]}),
        (f"/desk/comments/{comment.pk}/reply/", {"body": "Planted reply"}),
        (f"/clip/jobs/{job.pk}/retry/", {}),
        ("/admin/posts/post/add/", {"title": "Planted", "body_source": "x", "status": "published",
                                    "kind": "post", "body_format": "markdown"}),
        (f"/admin/posts/post/{post.pk}/delete/", {"post": "yes"}),
        ("/admin/comments/comment/", {"action": "approve", "_selected_action": [comment.pk]}),
        ("/admin/password_change/", {"old_password": PASSWORD, "new_password1": "n3w pass phrase",
                                     "new_password2": "n3w pass phrase"}),
        ("/admin/logout/", {}),
    ]  # fmt: skip
    for url, data in attempts:
        assert client.post(url, data).status_code == 403, url
    assert row_counts() == before
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert Post.objects.filter(title="Planted").count() == 0
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)
    assert client.get("/admin/").status_code == 200  # still logged in: logout was refused


def test_logging_in_without_a_token_is_refused(staff):
    client = strict_client()
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


# --- framing and the Content-Security-Policy ---------------------------------------------
class _Scripts(HTMLParser):
    """Inline scripts and event-handler attributes: what a strict CSP would block."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        data_block = names.get("type") in ("application/json", "application/ld+json")  # not run
        if tag == "script" and not names.get("src") and not data_block:
            self.inline.append(f"<script {attrs}>")
        self.inline += [f"<{tag} {name}=...>" for name, _ in attrs if name.startswith("on")]


def csp(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_hardened(response, what: str, *, frame_header: bool = True) -> None:
    """No framing (both headers), and scripts only from our own files."""
    if frame_header:
        assert response["X-Frame-Options"] == "DENY", what
    policy = csp(response)
    assert policy["frame-ancestors"] == ["'none'"], what
    scripts = policy.get("script-src", policy["default-src"])
    assert scripts == ["'self'"], f"{what}: script-src {scripts}"
    assert policy["object-src"] == ["'none'"], what
    assert policy["base-uri"] == ["'self'"], what
    if response["Content-Type"].startswith("text/html"):
        parser = _Scripts()
        parser.feed(response.content.decode())
        assert parser.inline == [], f"{what}: inline script the CSP would block"


def public_paths(site: dict) -> list[str]:
    post = site["post"]
    return [
        "/", post.path, "/search/label/Malta", "/search?q=harbour", post.path[:9],
        "/feeds/posts/default", "/feeds/posts/default?alt=rss", "/feeds/comments/default",
        "/sitemap.xml", "/robots.txt", f"/sources/{site['source'].pk}/", "/no/such/page",
        "/admin/login/",
    ]  # fmt: skip


def test_public_pages_fresh_and_cached_cannot_be_framed_or_run_inline_script(client, site):
    for path in public_paths(site):
        first = client.get(path)
        assert first.status_code in (200, 404), path
        assert_hardened(first, path)
        again = client.get(path)
        assert_hardened(again, f"{path} (second answer)")
    assert client.get("/").headers["X-Dateline-Cache"] == "hit"


def test_staff_pages_cannot_be_framed_or_run_inline_script(site, staff):
    client = strict_client(staff)
    post, job = site["post"], site["job"]
    for path in (
        "/admin/", "/admin/posts/post/", f"/admin/posts/post/{post.pk}/change/",
        "/admin/posts/label/", "/admin/comments/comment/", "/admin/password_change/",
        "/clip/", "/clip/?html=1&url=https://news.example/", f"/clip/jobs/{job.pk}/",
        "/desk/", "/desk/posts/", "/desk/posts/new/", f"/desk/posts/{post.pk}/",
        f"/desk/posts/{post.pk}/revisions/", "/desk/comments/",
    ):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200, path
        assert_hardened(response, path)


def test_refusals_are_hardened_too(client, staff):
    """A lockout, a CSRF failure and a bad Host answer carry the same headers. (The bad-Host
    answer is made before XFrameOptionsMiddleware runs; its CSP forbids framing anyway.)"""
    for _ in range(6):
        locked = client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    assert locked.status_code == 429
    assert_hardened(locked, "login lockout")
    assert_hardened(strict_client().post("/comments/post/1/", {}), "CSRF failure")
    assert_hardened(client.get("/", HTTP_HOST="evil.example"), "bad Host", frame_header=False)


# --- Host header ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:80", "localhost@evil.example", "localhost.evil.example"]
)
def test_an_unknown_host_is_refused(client, site, host):
    for path in ("/", site["post"].path, "/feeds/posts/default"):
        assert client.get(path, HTTP_HOST=host).status_code == 400


def test_a_cached_page_never_carries_another_hosts_addresses(client, site):
    """Pages and feeds that name their own address are cached per host: a page first built
    for one allowed host is never served with that host's address to another."""
    post = site["post"]
    paths = [post.path, "/feeds/posts/default", "/feeds/posts/default?alt=rss", "/sitemap.xml"]
    for path in paths:
        assert b"localhost" in client.get(path, HTTP_HOST="localhost").content, path
        for _ in range(2):  # built, then from the cache
            answer = client.get(path, HTTP_HOST="testserver")
            assert answer.status_code == 200
            assert b"localhost" not in answer.content, path
            assert b"testserver" in answer.content, path


def test_a_forwarded_host_header_is_not_believed(client, site):
    for path in (site["post"].path, "/feeds/posts/default"):
        response = client.get(path, HTTP_X_FORWARDED_HOST="evil.example")
        assert response.status_code == 200
        assert b"evil.example" not in response.content


# --- open redirects ----------------------------------------------------------------------
HOSTILE_NEXT = [
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "///evil.example",
    "https:evil.example",
    "https:/evil.example",
    " //evil.example",
    "\t//evil.example",
    "javascript:alert(1)",
    "http://testserver@evil.example/",
]


def assert_on_site(location: str) -> None:
    parts = urlsplit(location)
    assert parts.scheme in ("", "http", "https"), location
    assert parts.netloc in ("", "testserver"), location
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_logging_in_never_redirects_off_site(staff, target):
    client = Client()
    response = client.post(
        f"/admin/login/?next={target}", {"username": "editor", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert_on_site(response["Location"])
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD,
                                             "next": target})  # fmt: skip
    assert_on_site(response["Location"])


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_logging_out_never_redirects_off_site(staff, target):
    client = Client()
    client.force_login(staff)
    response = client.post("/admin/logout/", {"next": target})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert_on_site(response["Location"])


def test_a_path_that_looks_like_another_host_is_not_redirected_there(client, site):
    """APPEND_SLASH and the redirect table keep a leading `//` from becoming a host."""
    for path in ("/%2Fevil.example", "/%2F%2Fevil.example", "/%5Cevil.example"):
        response = client.get(path)
        if response.status_code in (301, 302):
            assert_on_site(response["Location"])


# --- the WSGI fast path (dateline.wsgi): cached answers before Django runs ---------------
def test_fast_answers_are_hardened_and_check_the_host(fast_app, site):
    for path in ("/", "/search/label/Malta", "/feeds/posts/default"):
        for _ in range(3):  # through Django, then from the fast path
            status, headers, _ = call_wsgi(fast_app, path)
        assert status == 200 and headers["x-dateline-cache"] == "fast", path
        assert headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "script-src 'self';" in headers["content-security-policy"]
        assert call_wsgi(fast_app, path, HTTP_HOST="evil.example")[0] == 400


def test_fast_answers_keep_hsts(fast_app, site, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    fast_app = fast_page_cache()  # middleware reads these settings when the handler loads
    for _ in range(3):
        status, headers, _ = call_wsgi(fast_app, "/", **{"wsgi.url_scheme": "https"})
    assert status == 200 and headers["x-dateline-cache"] == "fast"
    assert headers.get("strict-transport-security") == "max-age=3600"


def test_fast_answers_keep_the_https_redirect(fast_app, site, settings):
    """A page cached for an HTTPS reader is not handed to a plain-HTTP request."""
    settings.SECURE_SSL_REDIRECT = True
    fast_app = fast_page_cache()  # middleware reads these settings when the handler loads
    for _ in range(3):
        call_wsgi(fast_app, "/", **{"wsgi.url_scheme": "https"})
    status, headers, _ = call_wsgi(fast_app, "/")  # plain HTTP
    assert status == 301 and headers["location"].startswith("https://")
