"""The desk's pages. Thin: ask a selector, render a template."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from dateline.comments.models import Comment
from dateline.desk.access import author_required, kept_private
from dateline.desk.overview import overview


def desk_page(request: HttpRequest, template: str, section: str, **context) -> HttpResponse:
    """Render a desk page with what its header shows (the comments waiting); never cached."""
    waiting = Comment.objects.filter(status=Comment.Status.PENDING).count()
    context.update(section=section, waiting_count=waiting)
    return kept_private(render(request, template, context))


@author_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Drafts, scheduled posts, comments waiting, sources to look at, and two charts."""
    return desk_page(request, "desk/home.html", "home", overview=overview())
