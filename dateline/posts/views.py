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
from dateline.core import readerfields
from dateline.core.pagequery import reads
from dateline.core.urlvalues import object_id
from dateline.posts import selectors, sharing
from dateline.posts.models import Post


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
