"""The WSGI fast path serves exactly what Django would, and only when it safely can."""

import gzip
import time
from io import BytesIO
from urllib.parse import urlencode

import pytest
from django.core import signals, signing
from lxml import html as lxml_html

from dateline.comments.models import Comment
from dateline.core.changebell import current_bell
from dateline.posts.models import Post
from tests.serving.wsgi import call_wsgi

pytestmark = pytest.mark.django_db
VOLATILE = {"date", "x-dateline-cache"}


def stable(headers: dict) -> dict:
    return {name: value for name, value in headers.items() if name not in VOLATILE}


def test_repeat_reads_come_from_the_fast_path_with_django_s_headers(fast_app, make_post):
    make_post(title="Fast story", labels=("Malta",))
    for path in ["/", "/search/label/Malta", "/feeds/posts/default"]:
        status, through_django, body = call_wsgi(fast_app, path)
        assert status == 200 and through_django["x-dateline-cache"] in {"miss", "hit"}
        _, fast, fast_body = call_wsgi(fast_app, path)
        assert fast["x-dateline-cache"] == "fast", path
        assert fast_body == body
        assert stable(fast) == {**stable(through_django), "vary": "Accept-Encoding"}


@pytest.mark.django_db(transaction=True)
def test_repeat_reads_are_recognised_without_script_name_and_on_unicode_paths(fast_app, make_post):
    """A server may leave an empty SCRIPT_NAME out (PEP 3333), and a path's WSGI text is
    Latin-1: Django's request writes both back into its environ, decoded, so the fast path
    reads a copy (a non-ASCII path went on to Django decoded twice: a 404). A recognised
    repeat read sends no request signals. (Versions are remembered outside a transaction
    only: hence committed data.)"""
    make_post(title="Café story", labels=("Café",))
    started = []

    def count(**kwargs):
        started.append(kwargs)

    signals.request_started.connect(count)
    try:
        for path in ["/", "/search/label/Caf%C3%A9"]:  # Café
            status, _, first = call_wsgi(fast_app, path, leave_out=("SCRIPT_NAME",))
            assert status == 200 and "Café".encode() in first, path
            started.clear()
            for _ in range(3):
                assert call_wsgi(fast_app, path, leave_out=("SCRIPT_NAME",))[2] == first
            # The page cache once, then the remembered answer; without a change bell (on
            # PostgreSQL) every read asks the page cache.
            assert len(started) == (1 if current_bell() else 3), path
    finally:
        signals.request_started.disconnect(count)


def test_fast_path_never_serves_stale_content(fast_app, make_post):
    post = make_post(title="Before the edit")
    call_wsgi(fast_app, "/")
    assert call_wsgi(fast_app, "/")[1]["x-dateline-cache"] == "fast"
    post.title = "After the edit"
    post.save()
    _, headers, body = call_wsgi(fast_app, "/")
    assert b"After the edit" in body and headers["x-dateline-cache"] != "fast"


def test_sessions_and_bad_hosts_go_to_django(fast_app, make_post):
    call_wsgi(fast_app, "/")
    assert call_wsgi(fast_app, "/", HTTP_COOKIE="sessionid=abc")[1].get("x-dateline-cache") is None
    assert call_wsgi(fast_app, "/", HTTP_HOST="evil.example")[0] == 400
    assert call_wsgi(fast_app, "/", "POST")[1].get("x-dateline-cache") is None


def form_fields(body: bytes) -> dict[str, str]:
    form = lxml_html.fromstring(body).xpath('//form[starts-with(@action, "/comments/post/")]')[0]
    return {field.get("name"): field.get("value") or "" for field in form.xpath(".//input")}


def comment_environ(fields: dict, cookie: str) -> dict:
    data = urlencode({**fields, "author_name": "Ada", "body": "Well said.", "website": ""})
    return {"CONTENT_TYPE": "application/x-www-form-urlencoded", "HTTP_COOKIE": cookie,
            "CONTENT_LENGTH": str(len(data)), "wsgi.input": BytesIO(data.encode())}  # fmt: skip


def test_form_pages_come_fast_with_this_reader_s_token_and_cookie(fast_app, make_post):
    post = make_post(title="Form story")
    _, through_django, django_body = call_wsgi(fast_app, post.path)
    _, fast, fast_body = call_wsgi(fast_app, post.path)
    assert fast["x-dateline-cache"] == "fast"
    volatile = VOLATILE | {"set-cookie", "content-length"}  # the start time's digits vary
    assert {k: v for k, v in fast.items() if k not in volatile} == {
        k: v for k, v in through_django.items() if k not in volatile
    }
    assert fast["cache-control"].startswith("private") and "Cookie" in fast["vary"]
    fields = form_fields(fast_body)
    started = signing.loads(fields["started"], salt="dateline.comments.started")
    assert abs(time.time() - float(started)) < 60
    time.sleep(0.3)  # longer than a start time is shared between answers
    later = form_fields(call_wsgi(fast_app, post.path)[2])["started"]
    # As of each answer, not of the cached copy:
    assert float(signing.loads(later, salt="dateline.comments.started")) > float(started)
    token_cookie = fast["set-cookie"].split(";")[0].strip()
    assert fields["csrfmiddlewaretoken"] not in django_body.decode()
    # The token is real: Django's CSRF check accepts it with the cookie the fast path set...
    status, _, _ = call_wsgi(
        fast_app, f"/comments/post/{post.pk}/", "POST", **comment_environ(fields, token_cookie)
    )
    assert status == 303 and Comment.objects.filter(post=post, author_name="Ada").exists()
    # ...and refuses it without that cookie.
    status, _, _ = call_wsgi(
        fast_app, f"/comments/post/{post.pk}/", "POST", **comment_environ(fields, "")
    )
    assert status == 403


def test_form_pages_are_compressed_for_each_reader(fast_app, make_post):
    post = make_post(title="Zipped form story", body_source="Paragraph " * 300)
    _, _, plain = call_wsgi(fast_app, post.path)
    answers = [call_wsgi(fast_app, post.path, HTTP_ACCEPT_ENCODING="gzip") for _ in range(2)]
    bodies = []
    for _, headers, zipped in answers:
        assert headers["x-dateline-cache"] == "fast" and headers["content-encoding"] == "gzip"
        assert int(headers["content-length"]) == len(zipped) < len(plain) / 2
        bodies.append(gzip.decompress(zipped))
    fields = [form_fields(body) for body in bodies]
    assert fields[0]["csrfmiddlewaretoken"] != fields[1]["csrfmiddlewaretoken"]
    unfilled = [
        body.replace(field["csrfmiddlewaretoken"].encode(), b"").replace(
            field["started"].encode(), b""
        )
        for body, field in zip(bodies, fields, strict=True)
    ]
    assert unfilled[0] == unfilled[1]  # all else identical, and a valid page:
    assert b"Zipped form story" in bodies[0] and bodies[0].rstrip().endswith(b"</html>")


def test_a_returning_reader_keeps_their_csrf_cookie(fast_app, make_post):
    post = make_post()
    call_wsgi(fast_app, post.path)
    _, first, _ = call_wsgi(fast_app, post.path)
    cookie = first["set-cookie"].split(";")[0].strip()
    _, again, body = call_wsgi(fast_app, post.path, HTTP_COOKIE=cookie)
    assert again["x-dateline-cache"] == "fast"
    assert again["set-cookie"].split(";")[0].strip() == cookie  # renewed, not replaced
    fields = form_fields(body)
    status, _, _ = call_wsgi(
        fast_app, f"/comments/post/{post.pk}/", "POST", **comment_environ(fields, cookie)
    )
    assert status == 303


def test_head_304_and_gzip(fast_app, make_post):
    make_post(body_source="Paragraph " * 300)
    call_wsgi(fast_app, "/")
    _, headers, body = call_wsgi(fast_app, "/")
    _, head_headers, head_body = call_wsgi(fast_app, "/", "HEAD")
    assert head_body == b"" and head_headers["etag"] == headers["etag"]
    assert call_wsgi(fast_app, "/", HTTP_IF_NONE_MATCH=headers["etag"])[0] == 304
    _, zipped_headers, zipped = call_wsgi(fast_app, "/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert zipped_headers["content-encoding"] == "gzip"
    assert zipped_headers["etag"] == "W/" + headers["etag"]
    assert gzip.decompress(zipped) == body
    assert call_wsgi(fast_app, "/", HTTP_IF_NONE_MATCH=zipped_headers["etag"])[0] == 304


def test_scheduled_post_coming_due_is_seen_by_the_fast_path(fast_app, make_post):
    from datetime import timedelta

    from django.utils import timezone

    post = make_post(title="Due soon", published_at=timezone.now() + timedelta(hours=1))
    call_wsgi(fast_app, "/")
    assert b"Due soon" not in call_wsgi(fast_app, "/")[2]
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert b"Due soon" in call_wsgi(fast_app, "/")[2]
