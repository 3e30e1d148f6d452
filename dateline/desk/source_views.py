"""The desk's Sources page: counts by state, a filter, each source's history and the
posts citing it, and "check now"."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST, require_safe

from dateline.desk.access import author_required
from dateline.desk.views import desk_page
from dateline.posts.models import Post, Source
from dateline.sources.models import SourceCheck
from dateline.sources.states import State
from dateline.sources.tasks import queue_check

PER_PAGE = 50
UNCHECKED = "unchecked"
FILTERS = [*(state.value for state in State), UNCHECKED]


@author_required
@require_safe
def sources_page(request: HttpRequest) -> HttpResponse:
    """Every source, those needing attention first; `?state=` narrows to one state."""
    wanted = request.GET.get("state", "")
    counts = dict(
        Source.objects.values_list("last_check_result").annotate(n=Count("id")).order_by()
    )
    counts[UNCHECKED] = counts.pop("", 0)
    sources = Source.objects.order_by("-last_checked_at", "-id")
    if wanted in FILTERS:
        sources = sources.filter(last_check_result="" if wanted == UNCHECKED else wanted)
    else:
        wanted = ""
    sources = sources.prefetch_related(
        Prefetch("checks", queryset=SourceCheck.objects.order_by("-checked_at", "-id")),
        Prefetch("posts", queryset=Post.objects.order_by("-published_at", "-id")),
    ).select_related("health")
    page = Paginator(sources, PER_PAGE).get_page(request.GET.get("page"))
    checked = request.GET.get("checked", "")
    return desk_page(
        request, "sources/desk.html", "sources",
        page=page, state=wanted, counts=[(name, counts.get(name, 0)) for name in FILTERS],
        total=sum(counts.values()), checked=int(checked) if checked.isdigit() else None,
    )  # fmt: skip


@author_required
@require_POST
def check_now(request: HttpRequest, source_id: int) -> HttpResponse:
    """Queue a check of one source; back to the list, which says it was queued."""
    source = get_object_or_404(Source, pk=source_id)
    with transaction.atomic():
        queue_check(source.pk)
    return redirect(f"/desk/sources/?checked={source.pk}#source-{source.pk}")
