"""Whole-page cache for anonymous readers, keyed by the content version.

A reader's GET is answered from the cache when nothing readers can see has changed since
the page was built: every write bumps the content version (serving.signals), so a stale page
can never be served, on one process or many. Pages carry an ETag and Last-Modified, so
browsers and proxies revalidate with a cheap 304.

The comment form's CSRF token differs per reader, and its "form shown at" time per view:
the cached copy is the page's parts around those fields (core.readerfields), and each
reader's values are filled in between them on the way out.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.http import http_date, parse_etags

from dateline.comments.forms import recent_start_token
from dateline.core import readerfields
from dateline.core.pagequery import built_from_query
from dateline.core.readerfields import CSRF, STARTED
from dateline.core.versioning import current_version_and_time

_CACHEABLE_TYPES = ("text/html", "application/atom+xml", "application/rss+xml",
                    "application/xml", "text/plain", "text/xml")  # fmt: skip
_KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag")


@dataclass(frozen=True)
class CachedPage:
    status: int
    headers: tuple[tuple[str, str], ...]
    fixed: tuple[bytes, ...]  # the page around its reader fields: one part when none
    fields: tuple[bytes, ...]  # readerfields.CSRF or STARTED, between each pair of parts
    etag: str

    @property
    def has_token(self) -> bool:
        return bool(self.fields)

    @property
    def body(self) -> bytes:
        """The page as stored: all of it when it has no reader fields."""
        return self.fixed[0] if len(self.fixed) == 1 else b"".join(self.fixed)


def eligible(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False  # a logged-in author sees drafts, admin links, fresh state
    return not request.path.startswith(settings.DATELINE_PAGE_CACHE_SKIP_PREFIXES)


# Part of every key: a new shape of CachedPage never meets a pickled old one (in Redis).
_FORMAT = 2


def cache_key(request: HttpRequest, version: str) -> str:
    """Scheme and host are part of the page: canonical links and feeds name them."""
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    where = f"{request.scheme}://{request.get_host()}"
    return f"dateline:page:{_FORMAT}:{version}:{where}:{digest}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    """A plain 200 page built from exactly its query string (core.pagequery), that its
    view said may be shared: a query the page ignored or wrote otherwise is answered
    without being stored, and so is a page marked no-store or private (a signed draft
    preview is anonymous, but only for whoever holds its link)."""
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    directives = {part.strip().lower() for part in response.get("Cache-Control", "").split(",")}
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and content_type in _CACHEABLE_TYPES
        and not directives & {"no-store", "private"}
        and built_from_query(request)
    )


def _freeze(response: HttpResponse, fixed: list[bytes], fields: list[bytes]) -> CachedPage:
    headers = tuple((name, response[name]) for name in _KEPT_HEADERS if name in response)
    digest = hashlib.sha256()
    for part, field in zip(fixed, [*fields, b""], strict=True):
        digest.update(part + b"\0" + field + b"\0")  # the same for every render of the page
    etag = '"' + digest.hexdigest()[:32] + '"'
    return CachedPage(response.status_code, headers, tuple(fixed), tuple(fields), etag)


def reader_template(page: CachedPage) -> tuple[list[bytes], list[bytes]]:
    """The page's fixed parts, and which reader field goes between each pair of them."""
    return list(page.fixed), list(page.fields)


def reader_fillers(fields: list[bytes], csrf_token: str) -> list[bytes]:
    """This reader's values for the fields: their CSRF token, and the form's start time as
    of now (a cached time would let a bot skip the comment form's "too fast" check)."""
    values = {CSRF: csrf_token.encode(), STARTED: recent_start_token().encode()}
    return [values[field] for field in fields]


def filled(fixed: list[bytes], fillers: list[bytes]) -> bytes:
    """The fixed parts with one filler between each pair: the page as one reader gets it."""
    if len(fixed) != len(fillers) + 1:
        raise ValueError(f"{len(fixed)} fixed parts need {len(fixed) - 1} fillers")
    parts = [b""] * (2 * len(fixed) - 1)
    parts[0::2] = fixed
    parts[1::2] = fillers
    return b"".join(parts)


def _thaw(request: HttpRequest, page: CachedPage) -> HttpResponse:
    body = page.body
    if page.has_token:
        body = filled(list(page.fixed), reader_fillers(list(page.fields), get_token(request)))
    response = HttpResponse(body, status=page.status)
    for name, value in page.headers:
        response[name] = value
    return response


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison (RFC 9110): gzip marks our ETag weak on the way out."""
    if not if_none_match:
        return False  # most requests: no regular expression to run for them
    wanted = parse_etags(if_none_match)
    return "*" in wanted or etag in {tag.removeprefix("W/") for tag in wanted}


class PageCacheMiddleware:
    """Serve anonymous GETs from the cache; sits inside CsrfViewMiddleware so the reader's
    CSRF cookie is handled as for any other page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.DATELINE_PAGE_CACHE or not eligible(request):
            return self.get_response(request)
        version, changed_at = current_version_and_time()
        cache = caches[settings.DATELINE_PAGE_CACHE_ALIAS]
        key = cache_key(request, version)
        page = cache.get(key)
        status = "hit"
        if page is None:
            readerfields.mark(request)
            response = self.get_response(request)
            fixed, fields = [], []
            if not response.streaming:
                fixed, fields = readerfields.split_at_marks(request, response.content)
            if not _storable(request, response):
                if fields:  # answered, not stored: this reader's values at the marks
                    response.content = filled(fixed, reader_fillers(fields, get_token(request)))
                return response
            page = _freeze(response, fixed, fields)
            cache.set(key, page, timeout=settings.DATELINE_PAGE_CACHE_SECONDS)
            status = "miss"
        if etag_matches(request.headers.get("If-None-Match", ""), page.etag):
            response = HttpResponseNotModified()
        else:
            response = _thaw(request, page)
        response["ETag"] = page.etag
        if changed_at is not None:
            response["Last-Modified"] = http_date(changed_at.timestamp())
        response["Cache-Control"] = "public, max-age=0, must-revalidate"
        response["X-Dateline-Cache"] = status
        if page.has_token:
            response["Cache-Control"] = "private, max-age=0, must-revalidate"
        return response
