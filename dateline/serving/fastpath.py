"""A WSGI layer that answers repeat anonymous reads from the page cache before Django runs.

The page cache (serving.pagecache) already avoids rendering, but a hit still walks Django's
whole request and middleware machinery. Cached pages are the same bytes for everyone but
for the comment form's per-reader fields, so this layer serves them straight from the
cache, with the same headers Django gave them (a form page gets its reader's CSRF token
and cookie as Django's CSRF middleware makes them: core.readertoken). Anything it is
unsure of (a session, an unknown host, a cold cache, an old-style CSRF cookie) goes to
Django.

Once a request has been answered here, the answer is remembered by the request's raw
identity (scheme, host and path as the server gave them) for as long as the content
version stays the same: on SQLite the change bell (core.changebell) tells when it moves
without asking the database, so a repeat read costs a few dictionary lookups.
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

from dateline.core.readertoken import reader_token
from dateline.core.versioning import current_version_and_time, remembered_version
from dateline.serving.acceptgzip import accepts_gzip
from dateline.serving.gzipsplice import SplicedGzip
from dateline.serving.pagecache import (
    CachedPage,
    cache_key,
    eligible,
    etag_matches,
    filled,
    reader_fillers,
    reader_template,
)

# Headers every public page carries whatever its content (security middleware's work).
SHARED_HEADERS = (
    "X-Frame-Options", "Content-Security-Policy", "X-Content-Type-Options",
    "Referrer-Policy", "Cross-Origin-Opener-Policy", "Permissions-Policy",
    "Strict-Transport-Security",  # sent on HTTPS answers only, so learned per scheme
)  # fmt: skip
GZIP_MIN_LENGTH = 200  # as django.middleware.gzip
GZIP_MEMO_SIZE = 256
REMEMBERED_ANSWERS = 2048
# What Django reads from the environ to tell the page apart (scheme, host, path, query);
# the proxy headers join it when the settings make Django trust them.
IDENTITY_KEYS = ("wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT",
                 "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING")  # fmt: skip

StartResponse = Callable[..., object]
Answer = tuple[str, list[tuple[str, str]], bytes]


class FastPageCache:
    """Wrap the Django WSGI application; see the module docstring."""

    def __init__(self, app: Callable[[dict, StartResponse], Iterable[bytes]]) -> None:
        self.app = app
        self.shared: dict[str, list[tuple[str, str]]] = {}  # per URL scheme
        self.gzipped: OrderedDict[str, bytes] = OrderedDict()
        self.templates: OrderedDict[str, tuple] = OrderedDict()  # form pages, by ETag
        # Settings Django reads per request; read once, as middleware reads theirs.
        self.identity_keys = self._identity_keys()
        self.last_modified: tuple[object, str] = (None, "")
        self.known_version: str | None = None
        self.known: dict[tuple, tuple[CachedPage, list[tuple[str, str]]]] = {}

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        answer = self._remembered(environ) or self._from_cache(environ)
        if answer is None:
            return self.app(environ, self._watching(environ, start_response))
        status, headers, body = answer
        start_response(status, headers)
        return [body]

    def _watching(self, environ: dict, start_response: StartResponse) -> StartResponse:
        """Learn the shared headers from a page Django served through the page cache, under
        the scheme as Django saw it (behind a TLS proxy: the proxy's, not the server's)."""

        def watch(status: str, headers: list[tuple[str, str]], *exc_info: object) -> object:
            names = {name.lower() for name, _ in headers}
            if status.startswith("200") and "x-dateline-cache" in names:
                scheme = WSGIRequest(environ.copy()).scheme  # as _from_cache reads it
                self.shared[scheme] = [(n, v) for n, v in headers if n in SHARED_HEADERS]
            return start_response(status, headers, *exc_info)

        return watch

    @staticmethod
    def _identity_keys() -> tuple[str, ...]:
        keys = IDENTITY_KEYS
        if settings.SECURE_PROXY_SSL_HEADER:
            keys = (*keys, settings.SECURE_PROXY_SSL_HEADER[0])
        if settings.USE_X_FORWARDED_HOST or settings.USE_X_FORWARDED_PORT:
            keys = (*keys, "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT")
        return keys

    def _identity(self, environ: dict) -> tuple:
        return tuple(map(environ.get, self.identity_keys))

    def _remembered(self, environ: dict) -> Answer | None:
        """An answer this process gave the same request since the content last changed."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not self.known:
            return None
        if settings.SESSION_COOKIE_NAME in environ.get("HTTP_COOKIE", ""):
            return None  # possibly signed in: Django decides
        found = remembered_version()
        if found is None or found[0] != self.known_version:
            return None
        entry = self.known.get(self._identity(environ))
        if entry is None:
            return None
        page, shared = entry
        return self._answer(environ, page, found[1], shared)

    def _remember(self, environ: dict, version: str, page: CachedPage, shared: list) -> None:
        if version != self.known_version or len(self.known) >= REMEMBERED_ANSWERS:
            self.known = {}
            self.known_version = version
        self.known[self._identity(environ)] = (page, shared)

    def _from_cache(self, environ: dict) -> Answer | None:
        if not settings.DATELINE_PAGE_CACHE or environ.get("REQUEST_METHOD") not in (
            "GET", "HEAD"
        ):  # fmt: skip
            return None
        # On a copy: WSGIRequest writes PATH_INFO and SCRIPT_NAME back into its environ,
        # decoded. Handed on to Django on a miss, a non-ASCII path was decoded twice (a
        # 404 for /search/label/Café), and a server that omits an empty SCRIPT_NAME
        # never had a repeat read recognised (its identity changed).
        request = WSGIRequest(environ.copy())
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
        if page is None:
            return None
        self._remember(environ, version, page, shared)
        return self._answer(environ, page, changed_at, shared)

    def _answer(
        self, environ: dict, page: CachedPage, changed_at, shared: list[tuple[str, str]]
    ) -> Answer | None:
        zipped = accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", "")) and (
            len(page.body) >= GZIP_MIN_LENGTH
        )
        etag = f"W/{page.etag}" if zipped else page.etag
        body = page.body
        cache_control, vary, reader_headers = "public", "Accept-Encoding", []
        if page.has_token:
            for_reader = self._for_reader(environ, page, zipped)
            if for_reader is None:
                return None
            body, reader_headers = for_reader
            cache_control, vary = "private", "Cookie, Accept-Encoding"
        headers = [*page.headers, *shared, ("ETag", etag),
                   ("Cache-Control", f"{cache_control}, max-age=0, must-revalidate"),
                   ("Vary", vary), ("X-Dateline-Cache", "fast"), *reader_headers]  # fmt: skip
        if changed_at is not None:
            if self.last_modified[0] != changed_at:
                self.last_modified = (changed_at, http_date(changed_at.timestamp()))
            headers.append(("Last-Modified", self.last_modified[1]))
        if etag_matches(environ.get("HTTP_IF_NONE_MATCH", ""), page.etag):
            return "304 Not Modified", headers, b""
        if zipped and not page.has_token:  # a form page was compressed for its reader
            body = self._gzipped(page)
        if zipped:
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
        return "200 OK", headers, b"" if environ["REQUEST_METHOD"] == "HEAD" else body

    def _for_reader(
        self, environ: dict, page: CachedPage, zipped: bool
    ) -> tuple[bytes, list] | None:
        """The form page for this reader, with their CSRF token and cookie (made as Django's
        CSRF middleware makes them; see core.readertoken). None: let Django answer."""
        made = reader_token(environ.get("HTTP_COOKIE", ""))
        if made is None:
            return None
        token, cookie = made
        fixed, fields, spliced = self._template(page, zipped)
        fillers = reader_fillers(fields, token)
        body = spliced.compress(fillers) if spliced is not None else filled(fixed, fillers)
        return body, [("Set-Cookie", cookie)]

    def _template(self, page: CachedPage, zipped: bool) -> tuple[list, list, SplicedGzip | None]:
        """A form page split around its reader fields, with its fixed parts compressed once."""
        found = self.templates.get(page.etag)
        if found is None or (zipped and found[2] is None):
            fixed, fields = reader_template(page)
            found = (fixed, fields, SplicedGzip(fixed) if zipped else None)
            self.templates[page.etag] = found
            if len(self.templates) > GZIP_MEMO_SIZE:
                self.templates.popitem(last=False)
        return found

    def _gzipped(self, page: CachedPage) -> bytes:
        """Compress each page once per process; the ETag names its exact bytes."""
        found = self.gzipped.get(page.etag)
        if found is None:
            found = gzip.compress(page.body, compresslevel=6, mtime=0)
            self.gzipped[page.etag] = found
            if len(self.gzipped) > GZIP_MEMO_SIZE:
                self.gzipped.popitem(last=False)
        return found
