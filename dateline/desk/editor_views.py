"""Write and edit posts at the desk: the editor, the list of posts, and autosave."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dateline.desk import revisions
from dateline.desk.access import author_required
from dateline.desk.editing import PostEditForm, save_post
from dateline.desk.previewing import preview_link
from dateline.desk.suggesting import label_suggestions
from dateline.desk.views import desk_page
from dateline.people.roles import may_edit_post
from dateline.posts.models import Label, Post

PAGE_SIZE = 50
STATES = ("draft", "scheduled", "published")


@author_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_new(request: HttpRequest) -> HttpResponse:
    return _editor(request, Post())


@author_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    return _editor(request, editable_post(request, post_id))


def editable_post(request: HttpRequest, post_id: int) -> Post:
    """The post, if this author may change it: editors any, authors their own (403)."""
    post = get_object_or_404(Post.objects.select_related("source"), pk=post_id)
    if not may_edit_post(request.user, post.author_id):
        raise PermissionDenied("Only its author or an editor may change this post.")
    return post


def _editor(request: HttpRequest, post: Post) -> HttpResponse:
    if request.method == "POST":
        action = request.POST.get("action", "draft")
        form = PostEditForm(request.POST, request.FILES, instance=post, action=action)
        if form.is_valid():
            post = save_post(form, request.user)
            messages.success(request, _saved_message(post))
            return redirect("desk:post-edit", post_id=post.pk)
        status = 400
    else:
        form, status = PostEditForm(instance=post), 200
    chosen = form["labels"].value() or []
    context = {
        "post": post,
        "form": form,
        "suggestions": label_suggestions(post.title, post.body_html, chosen) if post.pk else [],
        "label_names": Label.objects.order_by("name").values_list("name", flat=True),
        "zone_name": timezone.get_current_timezone_name(),
        "zone_abbreviation": timezone.localtime().strftime("%Z"),
        "preview_link": preview_link(post) if post.pk else "",
        "unsaved": revisions.unsaved_autosave(post) if post.pk else None,
        "earlier": _earlier_clips(post),
    }
    response = desk_page(
        request, "desk/editor/edit.html", "posts" if post.pk else "write", **context
    )
    response.status_code = status
    return response


def _earlier_clips(post: Post) -> list[Post]:
    if post.source_id is None:
        return []
    from dateline.clipping.services import earlier_clips

    return earlier_clips(post)


def _saved_message(post: Post) -> str:
    state = post.state
    if state == "draft":
        return "Draft saved."
    when = timezone.localtime(post.published_at).strftime("%-d %b %Y, %H:%M %Z")
    if state == "scheduled":
        return f"Scheduled: goes out {when}."
    return f"Published {when} at {post.path}."


@author_required
@require_POST
def autosave(request: HttpRequest, post_id: int | None = None) -> JsonResponse:
    """Keep the author's work every few seconds: a draft is saved as it stands; a scheduled
    or published post only gets a revision, so readers never see half-made edits."""
    post = editable_post(request, post_id) if post_id else Post()
    if post.pk and post.state != "draft":
        title, body = request.POST.get("title", ""), request.POST.get("body_source", "")
        revisions.record(post, request.user, autosaved=True, title=title, body_source=body)
        return JsonResponse({"saved": "revision", "at": _now_label()})
    form = PostEditForm(request.POST, instance=post, action="draft")
    if not form.is_valid():
        return JsonResponse({"saved": "", "errors": form.errors.get_json_data()}, status=400)
    post = save_post(form, request.user, autosave=True)
    return JsonResponse(
        {
            "saved": "draft",
            "at": _now_label(),
            "id": post.pk,
            "edit_url": reverse("desk:post-edit", args=[post.pk]),
            "autosave_url": reverse("desk:post-autosave", args=[post.pk]),
        }
    )


def _now_label() -> str:
    return timezone.localtime().strftime("%H:%M:%S %Z")


@author_required
@require_safe
def post_list(request: HttpRequest) -> HttpResponse:
    """Every post with its state, newest first; search by words of the title or body."""
    query = request.GET.get("q", "").strip()[:200]
    state = request.GET.get("state", "")
    posts = _filtered(Post.objects.all(), query, state if state in STATES else "")
    page = Paginator(posts.order_by("-updated_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "query": query, "state": state, "states": STATES}
    return desk_page(request, "desk/editor/list.html", "posts", **context)


def _filtered(posts: QuerySet, query: str, state: str) -> QuerySet:
    now = timezone.now()
    if query:
        posts = posts.filter(Q(title__icontains=query) | Q(body_source__icontains=query))
    if state == "draft":
        posts = posts.filter(status=Post.Status.DRAFT)
    elif state == "scheduled":
        posts = posts.filter(status=Post.Status.PUBLISHED, published_at__gt=now)
    elif state == "published":
        posts = posts.filter(status=Post.Status.PUBLISHED, published_at__lte=now)
    return posts.select_related("source").prefetch_related("labels")
