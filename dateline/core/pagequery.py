"""Which query parameters a page was built from: the page cache stores only such pages.

A view records each parameter it read, as the value it understood (`reads`). The page
cache stores an answer only when the query string is exactly those parameters, each
written as it was understood (`built_from_query`): `/?junk=N`, `/?page=02` or a reply to
a comment that is not there are answered, never stored, so the number of stored pages
is bounded by what the site holds and not by what readers type. A view that records
nothing is stored only without a query, so a new view is safe before it says anything.
"""

from urllib.parse import urlencode

from django.http import HttpRequest

_RECORDED = "dateline_query_read"


def reads(request: HttpRequest, name: str, value: object | None) -> None:
    """The page shows query parameter `name` as `value` (None: it ignored what came)."""
    if value is not None:
        request.__dict__.setdefault(_RECORDED, []).append((name, str(value)))


def built_from_query(request: HttpRequest) -> bool:
    """Whether the query string is exactly the recorded parameters, in any order, each in
    the one encoding `urlencode` gives it (so `%61` for `a` is a different, unstored URL)."""
    raw = request.META.get("QUERY_STRING", "")
    recorded = request.__dict__.get(_RECORDED, [])
    if not raw:
        return not recorded
    return sorted(raw.split("&")) == sorted(urlencode([pair]) for pair in recorded)


def understood_query(request: HttpRequest) -> str:
    """The query string as the view understood it: the request's own when it is exactly the
    recorded parameters, else those parameters (a feed's rel="self" names this address)."""
    if built_from_query(request):
        return request.META.get("QUERY_STRING", "")
    return urlencode(request.__dict__.get(_RECORDED, []))


def canonical_url(request: HttpRequest) -> str:
    """The page's one address: its path and the query parameters it was built from, as
    understood (`/?page=02` and `/?junk=1` name `/?page=2` and `/`)."""
    query = urlencode(request.__dict__.get(_RECORDED, []))
    return request.build_absolute_uri(request.path + (f"?{query}" if query else ""))
