"""Blogger's `/search`: full-text results from the search app, or, without a query,
Blogger's paging through posts by time (`updated-max`)."""

from datetime import datetime

from django.conf import settings
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from dateline.core import dbbudget
from dateline.core.pagequery import reads
from dateline.core.urlvalues import moment, whole_number
from dateline.posts import selectors
from dateline.search import service as search_service

MAX_RESULTS_LIMIT = 100
MAX_PAGE_SIZE_ASKED = 1_000_000  # larger asks are refused; from here down, clamped to 100


def _updated_max(request: HttpRequest) -> datetime | None:
    raw = request.GET.get("updated-max", "").replace(" ", "+")  # an unencoded "+hh:mm"
    when = moment(raw, "updated-max") if raw else None
    # As the "Older Posts" link writes it (the `date('c')` filter: local time, ISO 8601).
    reads(request, "updated-max", when and timezone.localtime(when).isoformat())
    return when


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Blogger's `/search`: `q` searches (ranked, faceted); `updated-max` pages through posts."""
    raw = request.GET.get("max-results")
    max_results = settings.DATELINE_PAGE_SIZE
    if raw is not None:
        max_results = whole_number(raw, "max-results", MAX_PAGE_SIZE_ASKED)
    max_results = max(1, min(max_results, MAX_RESULTS_LIMIT))
    reads(request, "max-results", max_results if raw is not None else None)
    query = request.GET.get("q", "").strip()
    if query:
        return _search_results(request, page_size=max_results)
    posts = selectors.posts_before(_updated_max(request) or timezone.now(), max_results)
    older_than = posts[-1].published_at if len(posts) == max_results else None
    context = {"posts": posts, "query": "", "older_than": older_than,
               "max_results": max_results}  # fmt: skip
    return render(request, "search/search.html", context)


def _search_results(request: HttpRequest, page_size: int) -> HttpResponse:
    """Full-text results; a page number past the last page is a 404, as on listings.

    A search the request's time budget stopped gets the form back with a 503 (never
    cached) saying so; the page itself then has a fresh budget for its few queries."""
    params = search_service.params_from(request.GET)
    try:
        with dbbudget.stoppable():
            results = search_service.search(params, page_size)
    except OperationalError as error:
        if not dbbudget.stopped(error):
            raise
        dbbudget.renew()
        context = {"search": search_service.too_slow(params, page_size), "query": params.text}
        return render(request, "search/search.html", context, status=503)
    if results.total and results.params.page > results.num_pages:
        raise Http404("No such page.")
    _reads_search(request, results.params)
    context = {"search": results, "query": results.params.text}
    return render(request, "search/search.html", context)


def _reads_search(request: HttpRequest, params: search_service.SearchParams) -> None:
    """The search parameters as the service understood them (core.pagequery)."""
    reads(request, "q", params.text)
    for name in params.labels:
        reads(request, "label", name)
    reads(request, "from", params.start and params.start.isoformat())
    reads(request, "to", params.end and params.end.isoformat())
    reads(request, "page", params.page if "page" in request.GET else None)
