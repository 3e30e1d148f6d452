"""/desk/comments/: the moderation inbox. Whole comments, one-click actions, replies.

Every action is a small POST form, so the inbox works without scripts; desk/comments.js
adds keys (j/k, a/s/d) and acts without a reload, asking for JSON with `Accept`.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dateline.comments.models import Comment
from dateline.desk import moderation
from dateline.desk.access import author_required
from dateline.desk.views import desk_page

PAGE_SIZE = 50
TABS = (
    (Comment.Status.PENDING, "Waiting"),
    (Comment.Status.APPROVED, "Approved"),
    (Comment.Status.SPAM, "Spam"),
    (Comment.Status.REMOVED, "Deleted"),
)
_TAB_NAMES = dict(TABS)


class ReplyForm(forms.Form):
    body = forms.CharField(label="Your reply")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The limit is a setting, so the field is built per form (as CommentForm's is).
        self.fields["body"] = forms.CharField(
            label="Your reply",
            max_length=settings.DATELINE_COMMENT_MAX_CHARS,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={"required": "Write a reply first."},
        )


def _tab(value: str | None) -> str:
    return value if value in _TAB_NAMES else Comment.Status.PENDING


def _inbox_url(status: str, page: str | int | None = None) -> str:
    query = {"status": status} if status != Comment.Status.PENDING else {}
    if page and str(page) != "1":
        query["page"] = page
    return "/desk/comments/" + (f"?{urlencode(query)}" if query else "")


@author_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    """One tab of comments (waiting by default), newest first, each shown whole."""
    status = _tab(request.GET.get("status"))
    comments = (
        Comment.objects.filter(status=status)
        .select_related("post", "parent")
        .order_by("-created_at", "-id")
    )
    page = Paginator(comments, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = dict(Comment.objects.values_list("status").annotate(count=Count("id")).order_by())
    return desk_page(request, "desk/comments/inbox.html", "comments", status=status,
                     tab_name=_TAB_NAMES[status], tabs=TABS, counts=counts, page=page,
                     here=_inbox_url(status, page.number), moderation=moderation,
                     reply_form=ReplyForm())  # fmt: skip


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back(request: HttpRequest) -> str:
    """Where the author was: a tab of the inbox (never another site)."""
    return _inbox_url(_tab(request.POST.get("tab")), request.POST.get("page"))


@author_required
@require_POST
def act(request: HttpRequest) -> HttpResponse:
    """Approve, spam or delete the comments named by `comment` (one, or a bulk selection)."""
    action = request.POST.get("action", "")
    ids = [int(value) for value in request.POST.getlist("comment") if value.isdigit()]
    if action not in moderation.ACTIONS:
        problem = f"Unknown action {action!r}: use approve, spam or delete."
        if _wants_json(request):
            return JsonResponse({"error": problem}, status=400)
        return HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
    if not ids:
        text = "Select at least one comment first."
        if _wants_json(request):
            return JsonResponse({"error": text}, status=400)
        messages.warning(request, text)
        return HttpResponseRedirect(_back(request), status=303)
    changed = moderation.moderate(Comment.objects.filter(pk__in=ids), action)
    text = moderation.summary(len(changed), action)
    if _wants_json(request):
        return JsonResponse({"changed": [comment.pk for comment in changed], "message": text})
    messages.success(request, text)
    return HttpResponseRedirect(_back(request), status=303)


@author_required
@require_http_methods(["GET", "HEAD", "POST"])
def reply(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Post an approved reply under a comment as the logged-in author. A refused reply
    is shown again on its own page with the text kept (GET shows that page empty)."""
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=comment_id)
    posted = request.method == "POST"
    form = ReplyForm(request.POST if posted else None)
    problem, status = "", 200
    if not moderation.can_reply(comment):
        problem = f"This comment is {comment.get_status_display().lower()}, so it takes no replies."
        status = 409 if posted else 200
    elif posted and form.is_valid():
        mine = moderation.reply_as_author(comment, request.user, form.cleaned_data["body"])
        text = f"Your reply to {comment.author_name} is published."
        if _wants_json(request):
            return JsonResponse({"changed": [comment.pk], "reply": mine.pk, "message": text})
        messages.success(request, text)
        return HttpResponseRedirect(_back(request), status=303)
    elif posted:
        status = 400
    if posted and _wants_json(request):
        problem = problem or " ".join(form.errors.get("body", []))
        return JsonResponse({"error": problem}, status=status)
    tab = _tab(request.POST.get("tab")) if posted else comment.status
    response = desk_page(request, "desk/comments/reply.html", "comments", comment=comment,
                         form=form, problem=problem, moderation=moderation, tab=tab)  # fmt: skip
    response.status_code = status
    return response
