"""A WSGI layer that answers repeat anonymous reads from the page cache before Django runs.

The page cache (core.pagecache) already avoids rendering, but a hit still walks Django's
whole request and middleware machinery. Pages without a per-reader CSRF token (home,
labels, archives, feeds, search, sitemap) are the same bytes for everyone, so this layer
serves them straight from the cache, with the same headers Django gave them. Anything it
is unsure of (a session, an unknown host, a form page, a cold cache) goes to Django.
"""

import gzip
from collections import OrderedDict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core import signals
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.utils.http import http_date

from dateline.core.pagecache import CachedPage, cache_key, eligible, etag_matches
from dateline.core.versioning import current_version_and_time

# Headers every public page carries whatever its content (security middleware's work).
SHARED_HEADERS = (
    "X-Frame-Options", "Content-Security-Policy", "X-Content-Type-Options",
    "Referrer-Policy", "Cross-Origin-Opener-Policy", "Permissions-Policy",
    "Strict-Transport-Security",  # sent on HTTPS answers only, so learned per scheme
)  # fmt: skip
GZIP_MIN_LENGTH = 200  # as django.middleware.gzip
GZIP_MEMO_SIZE = 256

StartResponse = Callable[..., object]
Answer = tuple[str, list[tuple[str, str]], bytes]


class FastPageCache:
    """Wrap the Django WSGI application; see the module docstring."""

    def __init__(self, app: Callable[[dict, StartResponse], Iterable[bytes]]) -> None:
        self.app = app
        self.shared: dict[str, list[tuple[str, str]]] = {}  # per URL scheme
        self.gzipped: OrderedDict[str, bytes] = OrderedDict()

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        answer = self._from_cache(environ)
        if answer is None:
            return self.app(environ, self._watching(environ, start_response))
        status, headers, body = answer
        start_response(status, headers)
        return [body]

    def _watching(self, environ: dict, start_response: StartResponse) -> StartResponse:
        """Learn the shared headers from a page Django served through the page cache."""
        scheme = environ.get("wsgi.url_scheme", "http")

        def watch(status: str, headers: list[tuple[str, str]], *exc_info: object) -> object:
            names = {name.lower() for name, _ in headers}
            if status.startswith("200") and "x-dateline-cache" in names:
                self.shared[scheme] = [(n, v) for n, v in headers if n in SHARED_HEADERS]
            return start_response(status, headers, *exc_info)

        return watch

    def _from_cache(self, environ: dict) -> Answer | None:
        if not settings.DATELINE_PAGE_CACHE or environ.get("REQUEST_METHOD") not in (
            "GET", "HEAD"
        ):  # fmt: skip
            return None
        request = WSGIRequest(environ)
        shared = self.shared.get(request.scheme)
        if shared is None or (settings.SECURE_SSL_REDIRECT and not request.is_secure()):
            return None  # nothing learned yet for this scheme, or Django must redirect
        try:
            if not eligible(request):
                return None
            request.get_host()  # Host validation, exactly as Django does it
        except DisallowedHost:
            return None
        # The same request signals Django sends: connection upkeep, query log reset.
        signals.request_started.send(sender=self.__class__, environ=environ)
        try:
            version, changed_at = current_version_and_time()
            page = caches[settings.DATELINE_PAGE_CACHE_ALIAS].get(cache_key(request, version))
        finally:
            signals.request_finished.send(sender=self.__class__)
        if page is None or page.has_token:
            return None
        return self._answer(environ, page, changed_at, shared)

    def _answer(
        self, environ: dict, page: CachedPage, changed_at, shared: list[tuple[str, str]]
    ) -> Answer:
        zipped = "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "") and (
            len(page.body) >= GZIP_MIN_LENGTH
        )
        etag = f"W/{page.etag}" if zipped else page.etag
        headers = [*page.headers, *shared, ("ETag", etag),
                   ("Cache-Control", "public, max-age=0, must-revalidate"),
                   ("Vary", "Accept-Encoding"), ("X-Dateline-Cache", "fast")]  # fmt: skip
        if changed_at is not None:
            headers.append(("Last-Modified", http_date(changed_at.timestamp())))
        if etag_matches(environ.get("HTTP_IF_NONE_MATCH", ""), page.etag):
            return "304 Not Modified", headers, b""
        body = self._gzipped(page) if zipped else page.body
        if zipped:
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
        return "200 OK", headers, b"" if environ["REQUEST_METHOD"] == "HEAD" else body

    def _gzipped(self, page: CachedPage) -> bytes:
        """Compress each page once per process; the ETag names its exact bytes."""
        found = self.gzipped.get(page.etag)
        if found is None:
            found = gzip.compress(page.body, compresslevel=6, mtime=0)
            self.gzipped[page.etag] = found
            if len(self.gzipped) > GZIP_MEMO_SIZE:
                self.gzipped.popitem(last=False)
        return found
