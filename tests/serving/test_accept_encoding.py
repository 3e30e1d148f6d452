"""gzip goes only to clients whose Accept-Encoding takes it (q > 0), from Django and the
fast path alike; behind a TLS proxy the fast path answers HTTPS reads too."""

import gzip

import pytest

from dateline.serving.acceptgzip import accepts_gzip
from tests.serving.wsgi import call_wsgi, fast_page_cache

TAKES_GZIP = ["gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.5", "GZIP", "x-gzip",
              "gzip;q=0.001", "deflate, gzip ; q=1"]  # fmt: skip
REFUSES_GZIP = ["", "identity", "br", "gzip;q=0", "gzip; q=0.000", "GZip;Q=0", "br, gzip;q=0",
                "*", "gzip;q=bogus", "gzip;q=2", "gzipped", "notgzip"]  # fmt: skip


@pytest.mark.parametrize("header", TAKES_GZIP)
def test_codings_that_take_gzip(header):
    assert accepts_gzip(header)


@pytest.mark.parametrize("header", REFUSES_GZIP)
def test_codings_that_refuse_gzip(header):
    assert not accepts_gzip(header)


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["gzip;q=0", "gzip; q=0, identity", "x-gzip;q=0.0"])
def test_a_refused_gzip_is_never_sent(fast_app, make_post, header):
    make_post(body_source="Paragraph " * 300)
    for answered_by in ("miss", "fast"):  # Django, then the fast path
        _, headers, body = call_wsgi(fast_app, "/", HTTP_ACCEPT_ENCODING=header)
        assert headers["x-dateline-cache"] == answered_by
        assert "content-encoding" not in headers and b"Paragraph" in body


@pytest.mark.django_db
def test_a_wanted_gzip_is_sent_by_both(fast_app, make_post):
    make_post(body_source="Paragraph " * 300)
    for answered_by in ("miss", "fast"):
        _, headers, body = call_wsgi(fast_app, "/", HTTP_ACCEPT_ENCODING="gzip;q=0.5")
        assert headers["x-dateline-cache"] == answered_by and headers["content-encoding"] == "gzip"
        assert b"Paragraph" in gzip.decompress(body)


@pytest.mark.django_db
def test_behind_a_tls_proxy_the_fast_path_answers_https_reads(fast_app, make_post, settings):
    """The proxy speaks HTTP to us and says HTTPS in X-Forwarded-Proto (settings/prod.py
    with DATELINE_BEHIND_PROXY): the headers Django gave HTTPS pages are learned as such."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    app = fast_page_cache()
    make_post(title="Proxied story")
    proxied = {"HTTP_X_FORWARDED_PROTO": "https"}
    status, through_django, body = call_wsgi(app, "/", **proxied)
    assert status == 200 and "strict-transport-security" in through_django
    _, fast, fast_body = call_wsgi(app, "/", **proxied)
    assert fast["x-dateline-cache"] == "fast" and fast_body == body
    assert fast["strict-transport-security"] == through_django["strict-transport-security"]
    # A plain HTTP read has no HSTS header: Django answers it and the fast path learns that.
    call_wsgi(app, "/")
    _, plain, _ = call_wsgi(app, "/")
    assert plain["x-dateline-cache"] == "fast" and "strict-transport-security" not in plain
