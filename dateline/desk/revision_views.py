"""A post's revisions: the list, a difference between two, and restoring one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from dateline.desk import revisions
from dateline.desk.access import author_required
from dateline.desk.editor_views import editable_post
from dateline.desk.models import Revision
from dateline.desk.views import desk_page


@author_required
@require_safe
def revision_list(request: HttpRequest, post_id: int) -> HttpResponse:
    """Every revision, newest first; `?a=ID&b=ID` (b may be "current") shows their diff."""
    post = editable_post(request, post_id)
    history = list(post.revisions.select_related("author"))
    by_id = {str(revision.pk): revision for revision in history}
    old, new = by_id.get(request.GET.get("a", "")), request.GET.get("b", "current")
    lines = []
    if old is not None:
        newer = by_id.get(new)
        new_text = (newer.title, newer.body_source) if newer else (post.title, post.body_source)
        lines = revisions.diff((old.title, old.body_source), new_text)
    context = {"post": post, "history": history, "old": old, "new": by_id.get(new), "lines": lines}
    return desk_page(request, "desk/editor/revisions.html", "posts", **context)


@author_required
@require_POST
def revision_restore(request: HttpRequest, post_id: int, revision_id: int) -> HttpResponse:
    post = editable_post(request, post_id)
    revision = get_object_or_404(Revision, pk=revision_id, post=post)
    revisions.restore(post, revision, request.user)
    stamp = timezone.localtime(revision.created_at)
    messages.success(request, f"Restored the text saved {stamp:%-d %b %Y, %H:%M %Z}.")
    return redirect("desk:post-edit", post_id=post.pk)
