"""Whole-page cache for anonymous readers, keyed by the content version.

A reader's GET is answered from the cache when nothing readers can see has changed since
the page was built: every write bumps the content version (core.signals), so a stale page
can never be served, on one process or many. Pages carry an ETag and Last-Modified, so
browsers and proxies revalidate with a cheap 304.

The comment form's CSRF token differs per reader, and its "form shown at" time per view:
the cached copy holds placeholders that are filled in for each reader on the way out.
"""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.http import http_date, parse_etags

from dateline.comments.forms import recent_start_token
from dateline.core.pagequery import built_from_query
from dateline.core.versioning import current_version_and_time

_TOKEN_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
_PLACEHOLDER = b"__DATELINE_CSRF_TOKEN__"
_STARTED_FIELD = re.compile(rb'(name="started" value=")([^"]+)(")')
_STARTED_PLACEHOLDER = b"__DATELINE_FORM_STARTED__"
_CACHEABLE_TYPES = ("text/html", "application/atom+xml", "application/rss+xml",
                    "application/xml", "text/plain", "text/xml")  # fmt: skip
_KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag")


@dataclass(frozen=True)
class CachedPage:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: str
    has_token: bool


def eligible(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False  # a logged-in author sees drafts, admin links, fresh state
    return not request.path.startswith(settings.DATELINE_PAGE_CACHE_SKIP_PREFIXES)


def cache_key(request: HttpRequest, version: str) -> str:
    """Scheme and host are part of the page: canonical links and feeds name them."""
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"dateline:page:{version}:{request.scheme}://{request.get_host()}:{digest}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    """A plain 200 page built from exactly its query string (core.pagequery): a query
    the page ignored or wrote otherwise is answered without being stored."""
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and content_type in _CACHEABLE_TYPES
        and built_from_query(request)
    )


def _freeze(response: HttpResponse) -> CachedPage:
    body, found = _TOKEN_FIELD.subn(rb"\1" + _PLACEHOLDER + rb"\3", response.content)
    if found:
        body = _STARTED_FIELD.sub(rb"\1" + _STARTED_PLACEHOLDER + rb"\3", body)
    headers = tuple((name, response[name]) for name in _KEPT_HEADERS if name in response)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    return CachedPage(response.status_code, headers, body, etag, has_token=found > 0)


_READER_FIELDS = re.compile(b"(" + _PLACEHOLDER + b"|" + _STARTED_PLACEHOLDER + b")")


def reader_template(page: CachedPage) -> tuple[list[bytes], list[bytes]]:
    """The page's fixed parts, and which reader field goes between each pair of them."""
    pieces = _READER_FIELDS.split(page.body)
    return pieces[0::2], pieces[1::2]


def reader_fillers(fields: list[bytes], csrf_token: str) -> list[bytes]:
    """This reader's values for the fields: their CSRF token, and the form's start time as
    of now (a cached time would let a bot skip the comment form's "too fast" check)."""
    values = {
        _PLACEHOLDER: csrf_token.encode(),
        _STARTED_PLACEHOLDER: recent_start_token().encode(),
    }
    return [values[field] for field in fields]


def filled(fixed: list[bytes], fillers: list[bytes]) -> bytes:
    """The fixed parts with one filler between each pair: the page as one reader gets it."""
    if len(fixed) != len(fillers) + 1:
        raise ValueError(f"{len(fixed)} fixed parts need {len(fixed) - 1} fillers")
    parts = [b""] * (2 * len(fixed) - 1)
    parts[0::2] = fixed
    parts[1::2] = fillers
    return b"".join(parts)


def personalized(page: CachedPage, csrf_token: str) -> bytes:
    """The page for one reader (see reader_fillers)."""
    fixed, fields = reader_template(page)
    return filled(fixed, reader_fillers(fields, csrf_token))


def _thaw(request: HttpRequest, page: CachedPage) -> HttpResponse:
    body = personalized(page, get_token(request)) if page.has_token else page.body
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
            response = self.get_response(request)
            if not _storable(request, response):
                return response
            page = _freeze(response)
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
