"""/desk/moderate/<token>/: the page an e-mailed link opens, with no login.

Opening the link (GET) changes nothing: mail scanners and link previews open links on
their own, and must not approve or delete. The page shows the comment and one button;
pressing it (POST) acts, once, while the comment still waits.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from dateline.comments.models import Comment
from dateline.desk import moderation
from dateline.desk.access import kept_private
from dateline.desk.moderation_links import MAX_AGE, LinkExpired, LinkInvalid, read_token

BUTTONS = {"approve": "Approve this comment", "delete": "Delete this comment"}


def _page(request: HttpRequest, state: str, status: int = 200, **context) -> HttpResponse:
    context.update(state=state, max_age_days=MAX_AGE.days, buttons=BUTTONS)
    response = kept_private(render(request, "desk/comments/moderate.html", context, status=status))
    # The address holds the token: never sent to another site. ("no-referrer" would make
    # Chromium send `Origin: null` with the button's POST, which CSRF rightly refuses.)
    response.headers["Referrer-Policy"] = "same-origin"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def moderate(request: HttpRequest, token: str) -> HttpResponse:
    """Show (GET) or carry out (POST) the action an e-mailed link names."""
    try:
        ticket = read_token(token)
    except LinkExpired:
        return _page(request, "expired", status=410)
    except LinkInvalid:
        return _page(request, "invalid", status=400)
    comment = Comment.objects.select_related("post").filter(pk=ticket.comment_id).first()
    if comment is None:
        return _page(request, "gone", status=410)
    users = get_user_model().objects
    if not users.filter(pk=ticket.user_id, is_active=True, is_staff=True).exists():
        return _page(request, "not-author", status=403)
    context = {"comment": comment, "action": ticket.action, "moderation": moderation}
    if comment.status != ticket.status:
        done = moderation.DONE.get(comment.status, comment.get_status_display().lower())
        return _page(request, "used", status=409 if request.method == "POST" else 200,
                     done=done, **context)  # fmt: skip
    if request.method != "POST":
        return _page(request, "ask", **context)
    moderation.moderate([comment], ticket.action)
    return _page(request, "done", done=moderation.ACTIONS[ticket.action][1], **context)
