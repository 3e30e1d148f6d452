"""Render a URL in-process through the real URLconf and views, with a fixed host.

No network and no second implementation of any page: the mirror holds the bytes the live
site answers, except the comment form's per-reader fields and the sidebar, which every
page includes from one shared file (siteexport.shared; nginx puts it back). The middleware
is left out: for an anonymous GET it only adds headers and cookies and consults the page
cache, none of which a file keeps, and it was a seventh of a build (tests hold every
mirrored file to the live site's answer, through the middleware, byte for byte). A static
file cannot carry a reader's CSRF token, so the mirror blanks the token and the form's
start time and adds `siteexport/comment-form.js`, which fetches both from the live page
(same origin, through nginx) before the form is sent; CSRF stays enforced on every
comment. Without JavaScript the reader gets a link to the live page's form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIRequest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils.encoding import iri_to_uri

from dateline.core.readerfields import FIELD_NAMES
from dateline.serving.templating import static
from dateline.siteexport import shared

_READER_FIELDS = [re.compile(rb'(name="' + name.encode() + rb'" value=")[^"]*(")')
                  for name in FIELD_NAMES.values()]  # fmt: skip
_FORM = re.compile(rb'(<form method="post" action="/comments/post/\d+/"[^>]*>)')


class RenderError(RuntimeError):
    """A page the mirror needs did not answer 200: the build stops, the old mirror stays."""


@dataclass(frozen=True)
class Rendered:
    status: int
    content_type: str
    body: bytes


def default_base_url() -> str:
    if settings.DATELINE_STATIC_MIRROR_URL:
        return settings.DATELINE_STATIC_MIRROR_URL.rstrip("/")
    host = next((h for h in settings.ALLOWED_HOSTS if h and "*" not in h and h[0] != "."), "")
    return f"http://{host or 'localhost'}"


class _EnvironFactory(RequestFactory):
    """Builds the WSGI environ only, as Django's test Client does: a WSGIRequest rewrites
    its environ's PATH_INFO in place, so one cannot be handed to the handler again."""

    def request(self, **request) -> dict:
        return self._base_environ(**request)


class _ViewHandler(BaseHandler):
    """Django's handler with an empty middleware list: URL resolution, the view with its
    decorators, and exceptions turned into 404 and 500 answers as Django turns them."""

    def __init__(self) -> None:
        super().__init__()
        self._view_middleware, self._exception_middleware = [], []
        self._template_response_middleware = []
        self._middleware_chain = convert_exception_to_response(self._get_response)


class Renderer:
    """A request factory for the site's host and Django's handler without middleware (a few
    microseconds to make: one per chunk of a build, or per update)."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.secure = parts.scheme == "https"
        self.factory = RequestFactory(HTTP_HOST=parts.netloc)
        self.environ = _EnvironFactory(HTTP_HOST=parts.netloc)
        self.handler = _ViewHandler()

    def get(self, url: str) -> Rendered:
        # Stored paths are Unicode; a browser sends them as UTF-8, percent-encoded.
        environ = self.environ.get(iri_to_uri(url), secure=self.secure)
        # Not closed: closing sends request_finished, which would close the connection
        # every page (a rendered page holds no file or stream to release).
        with shared.including():  # the sidebar: one shared file (siteexport.shared)
            response = self.handler.get_response(WSGIRequest(environ))
        return Rendered(response.status_code, response.get("Content-Type", ""), response.content)

    def page(self, url: str) -> bytes:
        """The mirror's bytes for a URL, or RenderError."""
        rendered = self.get(url)
        if rendered.status != 200:
            raise RenderError(f"{url} answered {rendered.status}")
        if rendered.content_type.startswith("text/html"):
            if shared.foreign_directive(rendered.body):
                raise RenderError(f"{url} holds an SSI command nginx would run")
            return for_mirror(rendered.body, urlsplit(url).path)
        return rendered.body

    def search_page(self) -> bytes:
        """The client-side search page, in the site's layout (base.html)."""
        request = self.factory.get("/search.html", secure=self.secure)
        with shared.including():
            return render_to_string("siteexport/search.html", request=request).encode()


def for_mirror(body: bytes, path: str) -> bytes:
    """Blank the per-reader fields of a comment form and wire in the script that fills them."""
    if not _READER_FIELDS[0].search(body):
        return body
    for field in _READER_FIELDS:
        body = field.sub(rb"\1\2", body)
    note = render_to_string("siteexport/_comment_note.html", {"path": path}).encode()
    body = _FORM.sub(lambda match: note + match.group(1), body, count=1)
    names = " ".join(FIELD_NAMES.values())
    script = (f'<script src="{static("siteexport/comment-form.js")}" '
              f'data-reader-fields="{names}" defer></script>\n')  # fmt: skip
    return body.replace(b"</body>", script.encode() + b"</body>", 1)
