"""Seeing a post before readers do: the live preview beside the editor, and a signed link
to the real public page of a draft (for the author, or someone they send it to).

The live preview renders through posts.rendering, the one pipeline every body takes, and
shows it in a frame styled by the public site's own stylesheet. The signed link carries
only the post's id, expires, and its page is never cached nor indexed.
"""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST, require_safe

from dateline.core.middleware import CONTENT_SECURITY_POLICY
from dateline.desk.access import author_required, kept_private
from dateline.desk.suggesting import label_suggestions
from dateline.people.roles import may_edit_post
from dateline.posts.models import Post
from dateline.posts.rendering import render_markdown
from dateline.posts.views import render_post_page

SALT = "dateline.desk.preview"
MAX_AGE = 7 * 24 * 3600  # a week: long enough to send a draft round for a read
MAX_PREVIEW_CHARS = 200_000


def preview_link(post: Post) -> str:
    """The signed address of the post's public page as it stands (expires after MAX_AGE)."""
    token = signing.dumps({"post": post.pk}, salt=SALT, compress=True)
    return reverse("desk:preview", args=[token])


@require_safe
def signed_preview(request: HttpRequest, token: str) -> HttpResponse:
    """The real post page for a draft or scheduled post, to whoever holds a valid link."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise Http404("This preview link has expired; ask the author for a new one.") from None
    except signing.BadSignature:
        raise Http404("No such preview.") from None
    post = get_object_or_404(Post.objects.select_related("source"), pk=data.get("post"))
    return kept_private(render_post_page(request, post), robots="noindex, nofollow")


@author_required
@require_POST
def live_preview(request: HttpRequest) -> JsonResponse:
    """Markdown in, sanitized HTML out, plus label suggestions for the text so far."""
    body = request.POST.get("body_source", "")
    title = request.POST.get("title", "")[:300]
    if len(body) > MAX_PREVIEW_CHARS:
        message = f"The body is longer than {MAX_PREVIEW_CHARS:,} characters; preview paused."
        return JsonResponse({"error": message}, status=413)
    html = render_markdown(body)
    chosen = request.POST.getlist("labels")
    suggestions = [
        {"label": s.label, "reason": s.reason, "new": s.new}
        for s in label_suggestions(title, html, chosen)
    ]
    return JsonResponse({"html": html, "title": title, "suggestions": suggestions})


@author_required
@require_safe
@xframe_options_sameorigin
def preview_frame(request: HttpRequest, post_id: int | None = None) -> HttpResponse:
    """The page inside the editor's preview frame: the public stylesheet and article."""
    post = Post(title="")
    if post_id:
        post = get_object_or_404(Post, pk=post_id)
        if not may_edit_post(request.user, post.author_id):
            raise PermissionDenied("Only its author or an editor may preview this post here.")
    response = kept_private(render(request, "desk/editor/frame.html", {"post": post}))
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'", "frame-ancestors 'self'"
    )
    return response
