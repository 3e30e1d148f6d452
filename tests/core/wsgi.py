"""Calling the WSGI application (with the fast path) directly, as granian does."""

from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory

from dateline.core.fastpath import FastPageCache


def fast_page_cache() -> FastPageCache:
    """The application `dateline.wsgi` serves; build it after changing settings that
    middleware reads when the handler loads (SECURE_*)."""
    return FastPageCache(WSGIHandler())


def call_wsgi(app, path: str, method: str = "GET", **environ: str):
    """(status, lower-cased headers, body) of one request; `environ` adds WSGI keys."""
    request_environ = RequestFactory().generic(method, path, **environ).environ
    captured = {}

    def start_response(status, response_headers, *exc_info):
        captured["status"], captured["headers"] = status, response_headers

    body = b"".join(app(request_environ, start_response))
    headers = {name.lower(): value for name, value in captured["headers"]}
    return int(captured["status"][:3]), headers, body
