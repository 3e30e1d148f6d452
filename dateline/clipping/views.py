"""The author's clipping pages (staff only) and the public archived copy of a source.

Thin: parse the request, call one service in `drafts`, render. Clipping itself
runs as a background task; the job page refreshes itself every two seconds
until the job has finished, then sends the author to the draft in the desk's editor.
The pages use the desk's layout (desk/base.html); clipping imports nothing from the desk.
"""

from __future__ import annotations

from django.contrib.auth.decorators import user_passes_test
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dateline.clipping import drafts
from dateline.clipping.bookmarklet import bookmarklets
from dateline.clipping.forms import ClipForm
from dateline.clipping.models import ClipJob
from dateline.clipping.tasks import enqueue_clip
from dateline.posts.models import Post, Source

staff_required = user_passes_test(lambda user: user.is_active and user.is_staff)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def clip(request: HttpRequest) -> HttpResponse:
    """The clip form; the bookmarklet opens it with the page's URL, title and selection."""
    if request.method == "POST":
        form = ClipForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            with transaction.atomic():
                job = drafts.new_job(
                    data["url"], html=data["html"], title=data["title"],
                    selection=data["selection"], as_excerpt=data["text"] == "excerpt",
                    user=request.user,
                )  # fmt: skip
                enqueue_clip(job.pk)
            return redirect(job)
    else:
        initial = {key: request.GET.get(key, "")[:5000] for key in ("url", "title", "selection")}
        form = ClipForm(initial={**initial, "text": "full"})
    wants_html = request.GET.get("html") == "1"
    context = {"form": form, "wants_html": wants_html, "bookmarklets": bookmarklets(request),
               "section": "clip"}  # fmt: skip
    response = render(request, "clipping/clip.html", context)
    if wants_html:  # the bookmarklet's window must be able to hand us the page's HTML
        response.headers["Cross-Origin-Opener-Policy"] = "unsafe-none"
    return response


@staff_required
@require_safe
def job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    """Progress while the job runs, its error when it failed; when it is done, the draft
    opens in the desk's editor (the one editor for every post)."""
    job = get_object_or_404(ClipJob.objects.select_related("post"), pk=job_id)
    if not job.finished:
        return render(request, "clipping/progress.html", {"job": job, "section": "clip"})
    if job.state == ClipJob.State.FAILED or job.post is None:
        return render(request, "clipping/failed.html", {"job": job, "section": "clip"})
    return redirect("desk:post-edit", post_id=job.post_id)


@staff_required
@require_POST
def retry(request: HttpRequest, job_id: int) -> HttpResponse:
    """Queue a failed clip again, with the same URL (and pasted HTML, if any)."""
    job = get_object_or_404(ClipJob, pk=job_id)
    with transaction.atomic():
        if drafts.retry_job(job):
            enqueue_clip(job.pk)
    return redirect(job)


@require_safe
def source_page(request: HttpRequest, source_id: int) -> HttpResponse:
    """The archived copy: public once a post citing the source is, staff-only before."""
    source = get_object_or_404(Source, pk=source_id)
    is_staff = request.user.is_active and request.user.is_staff
    if not is_staff and not Post.objects.visible().filter(source=source).exists():
        raise Http404("No such source.")
    snapshot = source.snapshots.first()
    posts = Post.objects.visible().filter(source=source)
    context = {"source": source, "snapshot": snapshot, "posts": posts[:5]}
    response = render(request, "clipping/source.html", context)
    response.headers["X-Robots-Tag"] = "noindex"  # a copy of someone else's page
    return response
