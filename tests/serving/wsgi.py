"""Calling the WSGI application (with the fast path) directly, as granian does."""

from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory

from dateline.serving.fastpath import FastPageCache


def fast_page_cache() -> FastPageCache:
    """The application `dateline.wsgi` serves; build it after changing settings that
    middleware reads when the handler loads (SECURE_*)."""
    return FastPageCache(WSGIHandler())


class _RawEnviron(RequestFactory):
    """The environ a server hands over (PATH_INFO as Latin-1 text of its bytes): a built
    request would have written its decoded path back into it."""

    def request(self, **request) -> dict:
        return self._base_environ(**request)


def call_wsgi(app, path: str, method: str = "GET", leave_out: tuple = (), **environ: str):
    """(status, lower-cased headers, body) of one request; `environ` adds WSGI keys and
    `leave_out` removes some (a server may omit an empty SCRIPT_NAME)."""
    request_environ = _RawEnviron().generic(method, path, **environ)
    for key in leave_out:
        del request_environ[key]
    captured = {}

    def start_response(status, response_headers, *exc_info):
        captured["status"], captured["headers"] = status, response_headers

    body = b"".join(app(request_environ, start_response))
    headers = {name.lower(): value for name, value in captured["headers"]}
    return int(captured["status"][:3]), headers, body
