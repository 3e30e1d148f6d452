"""The WSGI fast path serves exactly what Django would, and only when it safely can."""

import gzip

import pytest

from dateline.posts.models import Post
from tests.core.wsgi import call_wsgi

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


def test_fast_path_never_serves_stale_content(fast_app, make_post):
    post = make_post(title="Before the edit")
    call_wsgi(fast_app, "/")
    assert call_wsgi(fast_app, "/")[1]["x-dateline-cache"] == "fast"
    post.title = "After the edit"
    post.save()
    _, headers, body = call_wsgi(fast_app, "/")
    assert b"After the edit" in body and headers["x-dateline-cache"] != "fast"


def test_pages_with_a_form_sessions_and_bad_hosts_go_to_django(fast_app, make_post, client):
    post = make_post()
    call_wsgi(fast_app, "/")
    for _ in range(2):
        assert (
            call_wsgi(fast_app, post.path)[1]["x-dateline-cache"] != "fast"
        )  # per-reader CSRF token
    assert call_wsgi(fast_app, "/", HTTP_COOKIE="sessionid=abc")[1].get("x-dateline-cache") is None
    assert call_wsgi(fast_app, "/", HTTP_HOST="evil.example")[0] == 400
    assert call_wsgi(fast_app, "/", "POST")[1].get("x-dateline-cache") is None


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
