"""Public pages: thin views that parse the request, call a selector and render."""

from datetime import datetime

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from dateline.comments.formfields import form_context
from dateline.comments.forms import CommentForm
from dateline.comments.selectors import Thread, comment_threads
from dateline.core import dbbudget, readerfields
from dateline.core.pagequery import reads
from dateline.core.urlvalues import moment, object_id, whole_number
from dateline.posts import selectors, sharing
from dateline.posts.models import Post
from dateline.search import service as search_service

MAX_RESULTS_LIMIT = 100
MAX_PAGE_SIZE_ASKED = 1_000_000  # larger asks are refused; from here down, clamped to 100


def _page(request: HttpRequest, posts: "selectors.PostList") -> "selectors.ListingPage":
    """The listing page `?page=N` asks for (recorded for the page cache: core.pagequery)."""
    raw = request.GET.get("page")
    page = selectors.paginate(posts, raw, settings.DATELINE_PAGE_SIZE)
    reads(request, "page", page.number if raw is not None else None)
    return page


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.PostList())
    return render(request, "posts/home.html", {"page": page, "posts": page.object_list})


def render_post_page(
    request: HttpRequest, post: Post, form: CommentForm | None = None, status: int = 200
) -> HttpResponse:
    """The post page; the comments view re-renders it with a refused form."""
    if not hasattr(post, "label_list"):  # the comment view's own read of the post
        selectors.with_labels([post])
    newer, older = selectors.neighbours(post)
    threads, count = comment_threads(post)
    notice = "pending" if request.GET.get("comment") == "pending" else None
    reads(request, "comment", notice)
    reply_to = _reply_to(request, threads) if form is None else None
    context = {
        "post": post,
        "comment_threads": threads,
        "comment_count": count,
        "newer": newer,
        "older": older,
        "comment_notice": notice,
        "sharing": sharing.card(request, post),
        **form_context(form, reply_to, readerfields.started_mark(request)),
    }
    return render(request, "posts/post_detail.html", context, status=status)


def _reply_to(request: HttpRequest, threads: list[Thread]) -> int | None:
    """`?reply=ID` (from a comment's Reply link) threads the new comment under that one,
    when it is one of the comments shown; any other value is ignored."""
    wanted = object_id(request.GET.get("reply"))
    shown = set()
    pending = list(threads)
    while pending and wanted is not None:
        thread = pending.pop()
        shown.add(thread.comment.pk)
        pending += thread.replies
    reply_to = wanted if wanted in shown else None
    reads(request, "reply", reply_to)
    return reply_to


@require_safe
def post_detail(request: HttpRequest) -> HttpResponse:
    post = selectors.visible_post_at(request.path)
    if post is None:
        raise Http404("No such post.")
    return render_post_page(request, post)


@require_safe
def label(request: HttpRequest, expression: str) -> HttpResponse:
    labels = selectors.labels_for_expression(expression)
    page = _page(request, selectors.PostList("labels", labels))
    context = {"labels": labels, "page": page, "posts": page.object_list}
    return render(request, "posts/label.html", context)


@require_safe
def archive(request: HttpRequest, year: int, month: int | None = None) -> HttpResponse:
    """A year's or a month's posts; the URL converters admit only years and months."""
    page = _page(request, selectors.posts_in_period(year, month))
    period = datetime(year, month or 1, 1, tzinfo=timezone.get_current_timezone())
    context = {"page": page, "posts": page.object_list, "period": period, "month": month}
    return render(request, "posts/archive.html", context)


def classic_archive(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """Blogger Classic's `/2007_07_01_archive.html` lives on at `/2007/07/`."""
    return HttpResponsePermanentRedirect(f"/{year:04d}/{month:02d}/")


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
    return render(request, "posts/search.html", context)


def _search_results(request: HttpRequest, page_size: int) -> HttpResponse:
    """Full-text results; a page number past the last page is a 404, as on listings.

    A search the request's time budget stopped gets the form back with a 503 (never
    cached) saying so; the page itself then has a fresh budget for its few queries."""
    params = search_service.params_from(request.GET)
    try:
        with dbbudget.stoppable():
            results = search_service.search(params, page_size)
    except dbbudget.DatabaseBudgetExceeded:
        dbbudget.renew()
        context = {"search": search_service.too_slow(params, page_size), "query": params.text}
        return render(request, "posts/search.html", context, status=503)
    if results.total and results.params.page > results.num_pages:
        raise Http404("No such page.")
    _reads_search(request, results.params)
    context = {"search": results, "query": results.params.text}
    return render(request, "posts/search.html", context)


def _reads_search(request: HttpRequest, params: search_service.SearchParams) -> None:
    """The search parameters as the service understood them (core.pagequery)."""
    reads(request, "q", params.text)
    for name in params.labels:
        reads(request, "label", name)
    reads(request, "from", params.start and params.start.isoformat())
    reads(request, "to", params.end and params.end.isoformat())
    reads(request, "page", params.page if "page" in request.GET else None)
